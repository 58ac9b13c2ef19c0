package dev.warden.monitor.snapshot;

import java.util.List;
import java.util.Objects;

/**
 * What changed from one snapshot to another (or to the live state), path by path.
 *
 * @param from the older snapshot
 * @param toOrNull the newer snapshot, or null for the live state
 * @param auditFromSeq audit records after this seq were searched for explanations
 * @param auditToSeq … up to and including this seq
 * @param changes sorted by path
 */
public record SnapshotDiff(SnapshotId from, SnapshotId toOrNull, long auditFromSeq, long auditToSeq,
    List<FileChange> changes) {

  public SnapshotDiff {
    Objects.requireNonNull(from, "from");
    changes = List.copyOf(changes);
  }

  public List<FileChange> unexplained() {
    return changes.stream().filter(FileChange::unexplained).toList();
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** The report {@code warden snapshot diff} prints. */
  public String render(boolean withTextDiffs) {
    StringBuilder sb = new StringBuilder();
    sb.append("diff ").append(from).append(" → ").append(toOrNull == null ? "live state" : toOrNull)
        .append(" (audit records ").append(auditFromSeq + 1).append("…").append(auditToSeq).append(")\n");
    if (changes.isEmpty()) {
      sb.append("no changes\n");
    }
    for (FileChange c : changes) {
      sb.append(switch (c.kind()) {
        case ADDED -> "A ";
        case REMOVED -> "D ";
        case MODIFIED -> "M ";
      }).append(c.path()).append("  [").append(c.attribution()).append("] ").append(c.detail()).append('\n');
      for (AuditRef r : c.explainedBy()) {
        sb.append("    by ").append(r).append(" at ").append(r.time())
            .append(r.sessionOrNull() == null ? "" : " session " + r.sessionOrNull()).append('\n');
      }
      if (withTextDiffs && c.textDiffOrNull() != null) {
        for (String line : c.textDiffOrNull().split("\n")) {
          sb.append("    ").append(line).append('\n');
        }
      }
    }
    long u = unexplained().size();
    if (u > 0) {
      sb.append(u).append(" change(s) UNEXPLAINED: no audited action made them (an edit outside Warden)\n");
    }
    return sb.toString();
  }
}
