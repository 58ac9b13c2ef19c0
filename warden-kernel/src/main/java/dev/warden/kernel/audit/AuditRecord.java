package dev.warden.kernel.audit;

import dev.warden.kernel.CanonicalJson;
import dev.warden.kernel.Hashing;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One link of the audit chain.
 *
 * <p>Invariant: {@code hash == sha256(canonicalJson(hashedFields()))}, where the hashed fields
 * include {@code prev}, the previous record's hash ({@link #GENESIS} for the first). Changing,
 * deleting, reordering or inserting any record therefore breaks every later link.
 *
 * @param seq 1-based, contiguous
 * @param time when the record was appended (millisecond precision, UTC)
 * @param type one of {@link Type}
 * @param sessionOrNull the session the record belongs to, if any
 * @param principal who the action was for ({@code owner:owner}, {@code cron:digest}, …)
 * @param body type-specific fields (never secret values)
 */
public record AuditRecord(
    long seq, Instant time, String type, String sessionOrNull, String principal, Map<String, Object> body,
    String prev, String hash) {

  /** The {@code prev} of the first record. */
  public static final String GENESIS = "0".repeat(64);

  /** Record types. */
  public static final class Type {
    private Type() {}
    /** A kernel decision, appended before the action runs. */
    public static final String DECISION = "decision";
    /** What happened when an allowed action ran. */
    public static final String OUTCOME = "outcome";
    /** Something that is not an action: gateway start, login failure, alert, quarantine. */
    public static final String EVENT = "event";
    /** A signature over the chain head by the agent's key. */
    public static final String CHECKPOINT = "checkpoint";
  }

  public AuditRecord {
    if (seq < 1) {
      throw new IllegalArgumentException("audit seq starts at 1, got " + seq);
    }
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(principal, "principal");
    body = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(body));
    Objects.requireNonNull(prev, "prev");
    Objects.requireNonNull(hash, "hash");
  }

  /** Builds a record and computes its hash. */
  public static AuditRecord create(
      long seq, Instant time, String type, String sessionOrNull, String principal, Map<String, Object> body, String prev) {
    Instant t = Instant.ofEpochMilli(time.toEpochMilli());
    String h = computeHash(seq, t, type, sessionOrNull, principal, body, prev);
    return new AuditRecord(seq, t, type, sessionOrNull, principal, body, prev, h);
  }

  public static String computeHash(
      long seq, Instant time, String type, String sessionOrNull, String principal, Map<String, Object> body, String prev) {
    return Hashing.sha256Hex(canonical(seq, time, type, sessionOrNull, principal, body, prev));
  }

  static String canonical(
      long seq, Instant time, String type, String sessionOrNull, String principal, Map<String, Object> body, String prev) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", seq);
    m.put("time", time.toString());
    m.put("type", type);
    m.put("session", sessionOrNull);
    m.put("principal", principal);
    m.put("body", body);
    m.put("prev", prev);
    return CanonicalJson.write(m);
  }

  /** The canonical JSON of the body, as stored. */
  public String bodyJson() {
    return CanonicalJson.write(body);
  }

  /** Recomputes the hash from the fields; differs from {@link #hash} if the record was altered. */
  public String recomputeHash() {
    return computeHash(seq, time, type, sessionOrNull, principal, body, prev);
  }

  public Object field(String name) {
    return body.get(name);
  }

  public String fieldString(String name) {
    Object v = body.get(name);
    return v == null ? "" : v.toString();
  }
}
