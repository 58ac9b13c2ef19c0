package dev.warden.kernel;

import java.util.Objects;

/**
 * Who an action is done for. The principal is fixed by the channel that carried the request
 * (a paired owner account, an unknown sender, the cron scheduler), never by anything the model says.
 */
public record Principal(Kind kind, String id) {

  public enum Kind {
    /** The person the agent works for, authenticated by a channel. */
    OWNER,
    /** The operator at the host's terminal (CLI against WARDEN_HOME). */
    OPERATOR,
    /** A known, allowlisted third party. */
    CONTACT,
    /** Anyone else who can put text in front of the agent. */
    STRANGER,
    /** A scheduled job; carries the label of the context that created it. */
    CRON,
    /** A skill acting through its scripts. */
    SKILL,
    /** Warden itself (startup, integrity watch, quarantine). */
    SYSTEM
  }

  public Principal {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("principal id must not be blank");
    }
  }

  public static Principal owner() {
    return new Principal(Kind.OWNER, "owner");
  }

  public static Principal operator() {
    return new Principal(Kind.OPERATOR, "operator");
  }

  public static Principal stranger(String id) {
    return new Principal(Kind.STRANGER, id);
  }

  public static Principal system() {
    return new Principal(Kind.SYSTEM, "warden");
  }

  /** Cedar-style entity name, e.g. {@code owner:owner} or {@code cron:daily-digest}. */
  public String qualified() {
    return kind.name().toLowerCase() + ":" + id;
  }

  @Override
  public String toString() {
    return qualified();
  }
}
