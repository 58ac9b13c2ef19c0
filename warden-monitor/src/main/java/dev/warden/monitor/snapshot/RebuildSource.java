package dev.warden.monitor.snapshot;

import java.util.Objects;

/** What a rebuild starts from besides the desired state: a verified snapshot, or nothing. */
public sealed interface RebuildSource {

  /** {@code warden rebuild --from SNAPSHOT}: the snapshot's workspace, memory, skills and cron jobs. */
  record FromSnapshot(SnapshotId id) implements RebuildSource {
    public FromSnapshot {
      Objects.requireNonNull(id, "id");
    }
  }

  /** {@code warden rebuild --clean}: desired state only; skills that still match skills.lock are carried over. */
  record Clean() implements RebuildSource {}

  static RebuildSource clean() {
    return new Clean();
  }

  static RebuildSource from(SnapshotId id) {
    return new FromSnapshot(id);
  }
}
