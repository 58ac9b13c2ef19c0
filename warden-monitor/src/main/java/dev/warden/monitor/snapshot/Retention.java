package dev.warden.monitor.snapshot;

import java.time.Duration;
import java.util.Objects;

/**
 * Which snapshots pruning keeps: a snapshot survives if it is among the newest {@code keepLast}
 * or younger than {@code keepFor}. Forensic snapshots ({@link SnapshotManifest#forensic()}) are
 * always kept.
 *
 * @param keepLast how many of the newest snapshots to keep, at least 1
 * @param keepFor how long to keep any snapshot; {@link Duration#ZERO} keeps only by count
 */
public record Retention(int keepLast, Duration keepFor) {

  /** The default: a week of history, at least ten snapshots. */
  public static final Retention DEFAULT = new Retention(10, Duration.ofDays(7));

  public Retention {
    if (keepLast < 1) {
      throw new IllegalArgumentException("retention must keep at least the newest snapshot (keepLast >= 1), got "
          + keepLast);
    }
    Objects.requireNonNull(keepFor, "keepFor");
    if (keepFor.isNegative()) {
      throw new IllegalArgumentException("retention keepFor must not be negative, got " + keepFor);
    }
  }

  /** What pruning removed. */
  public record PruneResult(java.util.List<SnapshotId> removed, int blobsRemoved, long bytesFreed) {
    public PruneResult {
      removed = java.util.List.copyOf(removed);
    }
  }
}
