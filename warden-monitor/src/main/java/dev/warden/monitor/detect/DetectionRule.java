package dev.warden.monitor.detect;

import dev.warden.monitor.events.OcsfEvent;

/**
 * One detection, evaluated on the ingestion thread for every event as it arrives. Rules may keep
 * state (windows, first-seen sets) because they are only ever called from that one thread.
 * Must be fast and must not block: anything slow belongs in a hunt, not a detection.
 */
@FunctionalInterface
public interface DetectionRule {
  /** A finding about {@code event}, or null when the event is unremarkable. */
  Finding evaluateOrNull(OcsfEvent event);
}
