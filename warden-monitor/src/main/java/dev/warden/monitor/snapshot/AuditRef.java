package dev.warden.monitor.snapshot;

import java.time.Instant;

/**
 * An audit record offered as the cause of a change.
 *
 * @param seq the record's sequence number in the audit chain
 * @param type {@code decision} or {@code outcome}
 * @param action the action kind ({@code file_write}, {@code cron_create}…)
 * @param resource the action's resource
 * @param result the decision's verdict ({@code allow}) or the outcome's status ({@code executed})
 * @param sessionOrNull the session the action belonged to
 */
public record AuditRef(long seq, Instant time, String type, String action, String resource, String result,
    String sessionOrNull) {

  @Override
  public String toString() {
    return "#" + seq + " " + type + " " + action + " " + resource + " (" + result + ")";
  }
}
