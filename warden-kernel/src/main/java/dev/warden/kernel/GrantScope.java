package dev.warden.kernel;

import java.time.Duration;

/** How far an owner's "yes" to an approval request reaches. */
public enum GrantScope {
  /** Just the parked action. */
  ONCE,
  /** The same kind of action toward the same resource, for the rest of this session. */
  SESSION,
  /** The same kind of action toward the same resource, in any session, until a time. */
  FOR_DURATION;

  public String label(Duration durationOrNull) {
    return switch (this) {
      case ONCE -> "this once";
      case SESSION -> "this destination for this session";
      case FOR_DURATION -> "for " + (durationOrNull == null ? "?" : durationOrNull.toMinutes() + " minutes");
    };
  }
}
