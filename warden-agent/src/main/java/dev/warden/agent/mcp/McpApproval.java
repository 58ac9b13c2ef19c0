package dev.warden.agent.mcp;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The owner's approval of one MCP server: the tool definitions exactly as they were shown, each
 * pinned by {@link McpToolDefinition#sha256()}, and who approved them when.
 */
public record McpApproval(String approvedBy, Instant approvedAt, List<McpToolDefinition> tools) {

  public McpApproval {
    Objects.requireNonNull(approvedBy, "approvedBy");
    Objects.requireNonNull(approvedAt, "approvedAt");
    tools = List.copyOf(tools);
    Map<String, McpToolDefinition> seen = new LinkedHashMap<>();
    for (McpToolDefinition t : tools) {
      if (seen.put(t.name(), t) != null) {
        throw new IllegalArgumentException("tool " + t.name() + " is listed twice in one approval");
      }
    }
  }

  public Optional<McpToolDefinition> tool(String name) {
    return tools.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /** SHA-256 over the sorted tool hashes: what {@code warden mcp approve --confirm} checks. */
  public static String fingerprint(List<McpToolDefinition> tools) {
    return dev.warden.kernel.Hashing.sha256Hex(String.join("\n",
        tools.stream().map(t -> t.name() + " " + t.sha256()).sorted().toList())).substring(0, 16);
  }
}
