package dev.warden.monitor.detect;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Tuning of the built-in detections.
 *
 * @param dedupWindow repeats of a finding within this time of its last sighting update one alert
 * @param denyBurstThreshold this many denies in one session within {@code denyBurstWindow} raise
 * @param knownSkillSources skill sources (prefixes) that are not "unknown", e.g. {@code registry:warden}
 */
public record DetectionConfig(Duration dedupWindow, int denyBurstThreshold, Duration denyBurstWindow,
    List<String> knownSkillSources) {

  public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofMinutes(10);
  public static final int DEFAULT_DENY_BURST_THRESHOLD = 10;
  public static final Duration DEFAULT_DENY_BURST_WINDOW = Duration.ofMinutes(1);

  public static final DetectionConfig DEFAULT = new DetectionConfig(DEFAULT_DEDUP_WINDOW, DEFAULT_DENY_BURST_THRESHOLD,
      DEFAULT_DENY_BURST_WINDOW, List.of());

  public DetectionConfig {
    Objects.requireNonNull(dedupWindow, "dedupWindow");
    Objects.requireNonNull(denyBurstWindow, "denyBurstWindow");
    if (dedupWindow.isNegative() || denyBurstWindow.isNegative() || denyBurstWindow.isZero()) {
      throw new IllegalArgumentException("detection windows must be positive: dedup " + dedupWindow
          + ", deny burst " + denyBurstWindow);
    }
    if (denyBurstThreshold < 2) {
      throw new IllegalArgumentException("deny burst threshold must be at least 2, got " + denyBurstThreshold);
    }
    knownSkillSources = List.copyOf(knownSkillSources);
  }
}
