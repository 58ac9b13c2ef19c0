package dev.warden.monitor.snapshot;

import java.util.regex.Pattern;

/**
 * A snapshot's name: {@code snap-YYYYMMDD-HHMMSS[-N]} (UTC). Ids sort by creation time, and the
 * syntax is checked because an id becomes a file name under {@code snapshots/manifests/}.
 */
public record SnapshotId(String value) implements Comparable<SnapshotId> {

  /** Letters, digits, dash and dot only: no separators, no {@code ..}. */
  public static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,79}");

  public SnapshotId {
    if (value == null || !SYNTAX.matcher(value).matches() || value.contains("..")) {
      throw new IllegalArgumentException("not a snapshot id: '" + value
          + "' (expected something like snap-20261126-034012; `warden snapshot list` shows the ids)");
    }
  }

  public static SnapshotId of(String value) {
    return new SnapshotId(value);
  }

  @Override
  public int compareTo(SnapshotId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
