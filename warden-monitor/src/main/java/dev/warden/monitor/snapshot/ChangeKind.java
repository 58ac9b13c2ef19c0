package dev.warden.monitor.snapshot;

/** How one path differs between two states. */
public enum ChangeKind {
  ADDED,
  REMOVED,
  MODIFIED
}
