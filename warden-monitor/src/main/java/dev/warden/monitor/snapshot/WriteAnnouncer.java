package dev.warden.monitor.snapshot;

import java.nio.file.Path;

/**
 * Told before {@link SnapshotStore#restore} writes or deletes a file of the home, so the integrity
 * watch does not report the restore as an out-of-band change. {@code IntegrityWatch::expect} fits.
 */
@FunctionalInterface
public interface WriteAnnouncer {

  /** @param sha256OrNull the content about to be written; null for a deletion */
  void willWrite(Path path, String sha256OrNull);

  WriteAnnouncer NONE = (p, h) -> {};
}
