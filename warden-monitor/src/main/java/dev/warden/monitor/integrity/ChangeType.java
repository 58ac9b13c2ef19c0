package dev.warden.monitor.integrity;

/** What happened to a watched file. */
public enum ChangeType {
  CREATED,
  MODIFIED,
  DELETED
}
