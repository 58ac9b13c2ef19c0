package dev.warden.monitor.detect;

import java.time.Instant;
import java.util.Objects;

/**
 * A raised detection. Repeats of the same finding (same {@link #dedupKey}) within the dedup window
 * increment {@link #count} and move {@link #lastSeen} instead of raising a new alert.
 *
 * @param id {@code alr-} followed by 12 hex digits
 * @param rule the detection rule's id, e.g. {@code tainted-memory-write}
 * @param triggerSeqOrZero the audit seq of the event that raised (or last updated) it
 */
public record Alert(String id, String rule, Severity severity, String title, String detail, String sessionOrNull,
    String dedupKey, Instant firstSeen, Instant lastSeen, long count, long triggerSeqOrZero) {

  public Alert {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(dedupKey, "dedupKey");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    if (lastSeen.isBefore(firstSeen)) {
      throw new IllegalArgumentException("alert " + id + ": last seen " + lastSeen + " before first seen " + firstSeen);
    }
    if (count < 1) {
      throw new IllegalArgumentException("alert " + id + ": count must be >= 1, got " + count);
    }
  }

  /** The same alert seen once more at {@code when}. */
  public Alert repeated(Instant when, long seq) {
    return new Alert(id, rule, severity, title, detail, sessionOrNull, dedupKey, firstSeen,
        when.isAfter(lastSeen) ? when : lastSeen, count + 1, seq);
  }

  public boolean isNew() {
    return count == 1;
  }
}
