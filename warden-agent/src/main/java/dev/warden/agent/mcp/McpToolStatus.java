package dev.warden.agent.mcp;

import java.util.Objects;

/**
 * What Warden currently does with one tool of a connected server.
 *
 * @param server the server's name
 * @param tool the tool's name on the server
 * @param state whether it is offered, and if not why
 * @param detail for {@link State#CHANGED} the diff (pinned vs now), for {@link State#NOT_OFFERABLE}
 *     the reason, otherwise ""
 */
public record McpToolStatus(String server, String tool, State state, String detail) {

  public McpToolStatus {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(detail, "detail");
  }

  public enum State {
    /** Listed exactly as pinned: offered to the model and callable. */
    OFFERED,
    /** Listed with a different name, description or schema than pinned (a rug pull): disabled. */
    CHANGED,
    /** Listed but never approved: not offered until the owner re-approves the server. */
    UNAPPROVED,
    /** Pinned but no longer listed by the server. */
    MISSING,
    /** Pinned as listed but cannot be offered (name or size outside Warden's limits). */
    NOT_OFFERABLE
  }
}
