package dev.warden.monitor.snapshot;

/** Whether the audit log accounts for a change. */
public enum Attribution {
  /** An allowed, recorded action names this path (file_write path, memory_write file, cron name…). */
  EXPLAINED,
  /**
   * No action names the path, but a recorded exec or skill run in the window could have written it
   * (commands run with the workspace mounted). Worth a look; not proof of an out-of-band edit.
   */
  INDIRECT,
  /** Nothing in the audit log accounts for the change: an out-of-band edit. */
  UNEXPLAINED
}
