package dev.warden.agent.mcp;

import java.time.Instant;
import java.util.Objects;

/**
 * A server in {@code mcp.json}: its configuration, who added it when, and the owner's approval
 * ({@code null} until approved: an unapproved server's tools are never offered).
 */
public record McpServerEntry(McpServerConfig config, String addedBy, Instant addedAt, McpApproval approvalOrNull) {

  public McpServerEntry {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(addedBy, "addedBy");
    Objects.requireNonNull(addedAt, "addedAt");
  }

  public String name() {
    return config.name();
  }

  public boolean approved() {
    return approvalOrNull != null;
  }

  public McpServerEntry withApproval(McpApproval a) {
    return new McpServerEntry(config, addedBy, addedAt, a);
  }
}
