package dev.warden.monitor.events;

import java.time.Duration;

/**
 * How much the event store keeps. Events are derived data (the audit log is the record), so
 * pruning loses hunting history, never evidence.
 *
 * @param maxAgeOrNull events older than this are deleted; null keeps them regardless of age
 * @param maxRowsOrZero at most this many events are kept (oldest go first); 0 means no bound
 */
public record Retention(Duration maxAgeOrNull, long maxRowsOrZero) {

  /** The default: 90 days and 20 million events, whichever is hit first. */
  public static final Retention DEFAULT = new Retention(Duration.ofDays(90), 20_000_000L);

  public static final Retention KEEP_ALL = new Retention(null, 0);

  public Retention {
    if (maxAgeOrNull != null && (maxAgeOrNull.isNegative() || maxAgeOrNull.isZero())) {
      throw new IllegalArgumentException("retention max age must be positive, got " + maxAgeOrNull
          + "; leave it out to keep events regardless of age");
    }
    if (maxRowsOrZero < 0) {
      throw new IllegalArgumentException("retention max rows must be >= 0 (0 = unbounded), got " + maxRowsOrZero);
    }
  }
}
