package dev.warden.monitor.integrity;

import java.nio.file.Path;

/**
 * Told about a change to WARDEN_HOME that no kernel-side writer announced.
 *
 * <p>Contract: called on the watch's own threads, at most once per distinct change (the new content
 * becomes the baseline). Implementations must be fast, must not throw (an exception is swallowed and
 * counted) and must not call back into the watch. The gateway routes this to alerts.
 */
@FunctionalInterface
public interface IntegrityListener {

  /**
   * @param path absolute path of the file
   * @param type created, modified or deleted
   * @param detail one line: old and new hash and mode, and why it was unexpected
   */
  void onUnexpectedChange(Path path, ChangeType type, String detail);

  /** Ignores everything. */
  IntegrityListener NONE = (p, t, d) -> {};
}
