package dev.warden.monitor.detect;

import java.util.Objects;

/**
 * What a rule reports about one event; {@link Detections} turns it into a new alert or a repeat.
 *
 * @param dedupKey findings with the same key inside the dedup window are one alert
 */
public record Finding(String rule, Severity severity, String title, String detail, String sessionOrNull, String dedupKey) {
  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(dedupKey, "dedupKey");
  }
}
