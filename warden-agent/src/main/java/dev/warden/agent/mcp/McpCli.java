package dev.warden.agent.mcp;

import dev.warden.agent.mcp.internal.SafeText;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code warden mcp add|list|approve|remove} commands, independent of the argument parser:
 * each method prints human-readable output and returns the process exit code.
 *
 * <p>Approval is two-step so that the owner pins exactly what was shown: {@code approve NAME}
 * connects, lists the tools (with the diff against the previous approval) and prints a
 * fingerprint; {@code approve NAME --confirm FINGERPRINT} pins them if the server still lists the
 * same definitions. Text from the server is printed with control characters escaped.
 */
public final class McpCli {
  public static final int EXIT_OK = 0;
  /** The operation failed (message on stderr). */
  public static final int EXIT_FAILED = 1;
  /** Bad arguments. */
  public static final int EXIT_USAGE = 2;
  /** {@code approve} without {@code --confirm}: the tools were shown, nothing was approved. */
  public static final int EXIT_NEEDS_CONFIRMATION = 3;

  private final McpClientManager manager;
  private final PrintStream out;
  private final PrintStream err;

  public McpCli(McpClientManager manager, PrintStream out, PrintStream err) {
    this.manager = Objects.requireNonNull(manager, "manager");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
  }

  /** {@code warden mcp add NAME [--env K=V]… [--ro PATH]… -- COMMAND [ARGS…]}: a stdio server, not approved. */
  public int addStdio(String name, List<String> commandAndArgs, Map<String, String> env, List<String> readOnlyPaths,
      String addedBy) {
    if (commandAndArgs.isEmpty()) {
      err.println("warden mcp add: give the server's command after --, e.g. `warden mcp add files -- /usr/bin/node server.js`");
      return EXIT_USAGE;
    }
    McpServerConfig cfg;
    try {
      cfg = new McpServerConfig(name, new McpServerConfig.Stdio(commandAndArgs.getFirst(),
          commandAndArgs.subList(1, commandAndArgs.size()), env, readOnlyPaths));
    } catch (IllegalArgumentException e) {
      err.println("warden mcp add: " + e.getMessage());
      return EXIT_USAGE;
    }
    return add(cfg, addedBy);
  }

  /** {@code warden mcp add NAME --url URL}: an HTTP server (reached only through the egress proxy), not approved. */
  public int addHttp(String name, String url, String addedBy) {
    McpServerConfig cfg;
    try {
      cfg = new McpServerConfig(name, new McpServerConfig.Http(URI.create(url)));
    } catch (IllegalArgumentException e) {
      err.println("warden mcp add: " + e.getMessage());
      return EXIT_USAGE;
    }
    return add(cfg, addedBy);
  }

  private int add(McpServerConfig cfg, String addedBy) {
    try {
      manager.registry().add(cfg, addedBy);
    } catch (McpException e) {
      err.println("warden mcp add: " + e.getMessage());
      return EXIT_FAILED;
    }
    out.println("added MCP server " + cfg.name() + " (" + SafeText.forTerminal(cfg.transport().describe()) + ")");
    out.println("It is NOT approved: its tools are not offered. Review them with `warden mcp approve " + cfg.name() + "`.");
    if (cfg.transport() instanceof McpServerConfig.Stdio s && !s.env().isEmpty()) {
      out.println("Note: its environment variables are stored in plain text in " + manager.registry().file()
          + " (mode 0600); put no secrets there.");
    }
    return EXIT_OK;
  }

  /** {@code warden mcp list}: every server, its approval, pinned tools and (when connected here) their state. */
  public int list() {
    List<McpServerEntry> all;
    try {
      all = manager.registry().list();
    } catch (McpException e) {
      err.println("warden mcp list: " + e.getMessage());
      return EXIT_FAILED;
    }
    for (String w : manager.registry().warnings()) {
      err.println("warning: " + w);
    }
    if (all.isEmpty()) {
      out.println("no MCP servers (add one with `warden mcp add NAME -- COMMAND…`)");
      return EXIT_OK;
    }
    for (McpServerEntry e : all) {
      out.println(e.name() + "  " + SafeText.forTerminal(e.config().transport().describe()));
      out.println("  added by " + e.addedBy() + " at " + e.addedAt());
      McpApproval a = e.approvalOrNull();
      if (a == null) {
        out.println("  NOT APPROVED: tools not offered (`warden mcp approve " + e.name() + "`)");
      } else {
        out.println("  approved by " + a.approvedBy() + " at " + a.approvedAt() + ", " + a.tools().size()
            + " pinned tool(s), fingerprint " + McpApproval.fingerprint(a.tools()));
      }
      List<McpToolStatus> live = manager.status(e.name());
      if (!live.isEmpty()) {
        for (McpToolStatus t : live) {
          out.println("    " + t.state().name().toLowerCase() + "  " + SafeText.forTerminal(t.tool())
              + (t.state() == McpToolStatus.State.NOT_OFFERABLE ? "  (" + t.detail() + ")" : ""));
          if (t.state() == McpToolStatus.State.CHANGED) {
            out.println("      " + t.detail().strip().replace("\n", "\n      "));
          }
        }
      } else if (a != null) {
        for (McpToolDefinition d : a.tools()) {
          out.println("    pinned  " + SafeText.forTerminal(d.name()) + "  sha256:" + d.sha256().substring(0, 16));
        }
      }
    }
    return EXIT_OK;
  }

  /**
   * {@code warden mcp approve NAME [--confirm FINGERPRINT]}. Without a fingerprint: shows the tools
   * and the diff against the previous approval and returns {@link #EXIT_NEEDS_CONFIRMATION}. With
   * one: pins the tools if they are still exactly those.
   */
  public int approve(String name, String confirmFingerprintOrNull, String approvedBy) {
    try {
      if (confirmFingerprintOrNull == null) {
        McpApprovalReport r = manager.preview(name);
        out.print(r.render());
        out.println();
        if (r.listed().isEmpty()) {
          out.println("The server lists no tools.");
        }
        out.println(r.hasChanges() || !manager.registry().get(name).map(McpServerEntry::approved).orElse(false)
            ? "To approve exactly these definitions, run: warden mcp approve " + name + " --confirm " + r.fingerprint()
            : "Nothing changed since the last approval.");
        return EXIT_NEEDS_CONFIRMATION;
      }
      McpApprovalReport r = manager.approve(name, approvedBy, confirmFingerprintOrNull);
      out.print(r.render());
      out.println();
      out.println("approved MCP server " + name + ": " + r.listed().size() + " tool(s) pinned (fingerprint " + r.fingerprint() + ")");
      return EXIT_OK;
    } catch (McpException e) {
      err.println("warden mcp approve: " + e.getMessage());
      return EXIT_FAILED;
    }
  }

  /** {@code warden mcp remove NAME}: stops the server and forgets it and its approval. */
  public int remove(String name) {
    try {
      if (!manager.remove(name)) {
        err.println("warden mcp remove: no MCP server named " + name + " (see `warden mcp list`)");
        return EXIT_FAILED;
      }
    } catch (McpException e) {
      err.println("warden mcp remove: " + e.getMessage());
      return EXIT_FAILED;
    }
    out.println("removed MCP server " + name + "; its tools are no longer offered");
    return EXIT_OK;
  }
}
