package dev.warden.monitor.snapshot;

/**
 * An expected failure of the snapshot store: a tampered or missing manifest or blob, an unreadable
 * home, a refused restore. The message says what failed and how to fix it.
 */
public final class SnapshotException extends Exception {
  public SnapshotException(String message) {
    super(message);
  }

  public SnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
