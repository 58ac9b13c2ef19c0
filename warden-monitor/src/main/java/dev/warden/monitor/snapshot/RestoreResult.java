package dev.warden.monitor.snapshot;

import java.util.List;

/**
 * What {@link SnapshotStore#restore} did; the caller records it as an audit event.
 *
 * @param restored the snapshot that was put back
 * @param safetySnapshot the snapshot of the state just before the restore (so the restore can be undone)
 * @param written home-relative paths rewritten from the snapshot
 * @param deleted home-relative paths that did not exist in the snapshot and were removed
 * @param cronRestored cron jobs put back (created or overwritten)
 * @param cronDeleted cron jobs removed because the snapshot did not have them
 * @param notes things the restore deliberately did not do (credentials)
 */
public record RestoreResult(SnapshotId restored, SnapshotId safetySnapshot, List<String> written,
    List<String> deleted, List<String> cronRestored, List<String> cronDeleted, List<String> notes) {
  public RestoreResult {
    written = List.copyOf(written);
    deleted = List.copyOf(deleted);
    cronRestored = List.copyOf(cronRestored);
    cronDeleted = List.copyOf(cronDeleted);
    notes = List.copyOf(notes);
  }
}
