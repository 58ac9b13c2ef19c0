package dev.warden.monitor.events;

import dev.warden.monitor.internal.MonitorJson;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row of the event store: the indexed columns the hunting queries filter on, and the whole
 * OCSF-shaped document ({@link #ocsf}) with Warden's own fields under {@code unmapped.warden}.
 *
 * @param seqOrZero the audit record's seq; 0 for the monitor's own events (alerts, overflow)
 * @param recordType {@code decision|outcome|event|checkpoint|head|alert|monitor}
 * @param action the action kind ({@code exec}, {@code egress}…) for decisions and outcomes
 * @param eventCategoryOrNull / eventNameOrNull for audit events ({@code skill}/{@code install})
 * @param targetKindOrNull {@code memory} or {@code instruction} for writes to persistent instructions
 * @param tainted the session's context label was untrusted when the action was decided
 * @param json the OCSF document as JSON; pass null to have it encoded once here (it is written to
 *     events.db and to every exporter, so encoding it once matters)
 */
public record OcsfEvent(
    long seqOrZero, Instant time, String recordType, OcsfClass ocsfClass, int activityId, int severityId,
    String sessionOrNull, String principal, String actionOrNull, String resourceOrNull, String verdictOrNull,
    String ruleOrNull, String statusOrNull, String eventCategoryOrNull, String eventNameOrNull, String hostOrNull,
    String skillOrNull, String credentialOrNull, String targetKindOrNull, boolean tainted, Map<String, Object> ocsf,
    String json) {

  public OcsfEvent {
    if (seqOrZero < 0) {
      throw new IllegalArgumentException("seq must be >= 0, got " + seqOrZero);
    }
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(recordType, "recordType");
    Objects.requireNonNull(ocsfClass, "ocsfClass");
    if (severityId < 0 || severityId > 6) {
      throw new IllegalArgumentException("OCSF severity_id is 0..6, got " + severityId);
    }
    Objects.requireNonNull(principal, "principal");
    ocsf = Collections.unmodifiableMap(new LinkedHashMap<>(ocsf));
    if (json == null) {
      json = MonitorJson.write(ocsf);
    }
  }

  /** The Warden audit body ({@code unmapped.warden.body}); empty for the monitor's own events. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> body() {
    Object b = MonitorJson.at(ocsf, "unmapped.warden.body");
    return b instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** A field of the body's {@code fields} (decisions) or of the body itself (outcomes, events). */
  public Object field(String name) {
    Map<String, Object> b = body();
    if (b.get("fields") instanceof Map<?, ?> f && f.containsKey(name)) {
      return f.get(name);
    }
    return b.get(name);
  }

  public String fieldString(String name) {
    Object v = field(name);
    return v == null ? "" : v.toString();
  }

  public boolean isDecision() {
    return "decision".equals(recordType);
  }

  public boolean isEvent(String category, String name) {
    return "event".equals(recordType) && category.equals(eventCategoryOrNull) && (name == null || name.equals(eventNameOrNull));
  }
}
