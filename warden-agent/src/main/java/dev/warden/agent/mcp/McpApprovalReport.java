package dev.warden.agent.mcp;

import dev.warden.agent.mcp.internal.SafeText;
import dev.warden.agent.mcp.internal.ToolDiff;
import java.util.List;
import java.util.Objects;

/**
 * What approving a server would pin (or pinned), compared with its previous approval.
 *
 * @param server the server's name
 * @param fingerprint {@link McpApproval#fingerprint} of the listed tools: pass it back to confirm
 *     that exactly what was shown gets pinned
 * @param changes one entry per tool listed now or pinned before
 * @param applied whether the definitions were pinned
 */
public record McpApprovalReport(String server, String fingerprint, List<Change> changes, boolean applied) {

  public McpApprovalReport {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(fingerprint, "fingerprint");
    changes = List.copyOf(changes);
  }

  public enum Kind { NEW, CHANGED, UNCHANGED, REMOVED }

  /** One tool: its definition now ({@code null} if removed) and, when changed, the diff. */
  public record Change(String tool, Kind kind, McpToolDefinition nowOrNull, String diff) {}

  /** The listed tool definitions, in server order. */
  public List<McpToolDefinition> listed() {
    return changes.stream().filter(c -> c.nowOrNull() != null).map(Change::nowOrNull).toList();
  }

  public boolean hasChanges() {
    return changes.stream().anyMatch(c -> c.kind() != Kind.UNCHANGED);
  }

  /** Human-readable, safe for a terminal (control characters in the server's text are escaped). */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("MCP server ").append(server).append(": ").append(listed().size()).append(" tool(s), fingerprint ")
        .append(fingerprint).append('\n');
    sb.append("Tool descriptions below are written by the server's author (untrusted).\n");
    for (Change c : changes) {
      sb.append('\n').append(switch (c.kind()) {
        case NEW -> "+ new tool ";
        case CHANGED -> "! CHANGED since approval: ";
        case UNCHANGED -> "  ";
        case REMOVED -> "- removed: ";
      }).append(SafeText.forTerminal(c.tool())).append('\n');
      if (c.kind() == Kind.CHANGED) {
        sb.append(indent(c.diff()));
      } else if (c.nowOrNull() != null) {
        sb.append(indent(SafeText.forTerminal(c.nowOrNull().description()))).append('\n');
        if (c.kind() == Kind.NEW) {
          sb.append(indent("input schema: " + SafeText.forTerminal(ToolDiff.pretty(c.nowOrNull().inputSchema())))).append('\n');
        }
      }
    }
    return sb.toString();
  }

  private static String indent(String s) {
    return s.isEmpty() ? "" : "    " + s.strip().replace("\n", "\n    ");
  }
}
