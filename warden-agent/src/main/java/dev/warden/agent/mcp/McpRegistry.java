package dev.warden.agent.mcp;

import dev.warden.agent.mcp.internal.McpJsonFile;
import dev.warden.kernel.WardenHome;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The MCP servers the operator added and the owner approved, persisted in {@code
 * WARDEN_HOME/mcp.json}.
 *
 * <p>Guarantees: a newly added server is not approved (its tools are not offered); {@link
 * #approve} pins every tool definition by hash and records who approved it when; the file is
 * replaced atomically (a reader sees the old or the new file, never a torn one).
 *
 * <p>Concurrency: every call re-reads the file, so a gateway sees approvals made by the CLI in
 * another process at its next refresh. Writers in one JVM are serialised; two processes writing at
 * the same moment can lose one update (the last rename wins) — the CLI and the gateway each write
 * only on an owner's command.
 */
public final class McpRegistry {
  /** File name inside WARDEN_HOME. */
  public static final String FILE_NAME = "mcp.json";

  private final Path file;
  private final InstantSource clock;
  private volatile List<String> lastWarnings = List.of();

  public McpRegistry(Path file, InstantSource clock) {
    this.file = Objects.requireNonNull(file, "file");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public static McpRegistry inHome(WardenHome home, InstantSource clock) {
    return new McpRegistry(home.root().resolve(FILE_NAME), clock);
  }

  public Path file() {
    return file;
  }

  public InstantSource clock() {
    return clock;
  }

  /** All servers, in the order they were added. */
  public synchronized List<McpServerEntry> list() throws McpException {
    McpJsonFile.Loaded l = McpJsonFile.read(file);
    lastWarnings = l.warnings();
    return l.servers();
  }

  /** Problems found by the last read (pins that do not match: those approvals were ignored). */
  public List<String> warnings() {
    return lastWarnings;
  }

  public synchronized Optional<McpServerEntry> get(String name) throws McpException {
    return list().stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** Adds a server, not approved. */
  public synchronized McpServerEntry add(McpServerConfig config, String addedBy) throws McpException {
    List<McpServerEntry> all = new ArrayList<>(list());
    if (all.stream().anyMatch(e -> e.name().equals(config.name()))) {
      throw new McpException("an MCP server named " + config.name() + " already exists; remove it first with `warden mcp remove "
          + config.name() + "` or choose another name");
    }
    McpServerEntry e = new McpServerEntry(config, addedBy, clock.instant(), null);
    all.add(e);
    McpJsonFile.write(file, all);
    return e;
  }

  /** Pins exactly {@code tools} as the approved definitions of server {@code name}. */
  public synchronized McpServerEntry approve(String name, List<McpToolDefinition> tools, String approvedBy) throws McpException {
    List<McpServerEntry> all = new ArrayList<>(list());
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).name().equals(name)) {
        McpServerEntry e = all.get(i).withApproval(new McpApproval(approvedBy, clock.instant(), tools));
        all.set(i, e);
        McpJsonFile.write(file, all);
        return e;
      }
    }
    throw unknown(name);
  }

  /** Removes a server and its approval; false if there was none. */
  public synchronized boolean remove(String name) throws McpException {
    List<McpServerEntry> all = new ArrayList<>(list());
    boolean removed = all.removeIf(e -> e.name().equals(name));
    if (removed) {
      McpJsonFile.write(file, all);
    }
    return removed;
  }

  McpException unknown(String name) {
    return new McpException("no MCP server named " + name + " in " + file + "; add it with `warden mcp add " + name
        + " -- COMMAND…` (see `warden mcp list`)");
  }
}
