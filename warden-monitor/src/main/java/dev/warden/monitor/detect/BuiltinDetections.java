package dev.warden.monitor.detect;

import dev.warden.monitor.events.OcsfEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The detections Warden ships. Each is a {@link DetectionRule}; ids are stable (alerts, docs and
 * the dashboard refer to them). See docs/monitoring.md for what each means and how to answer it.
 */
public final class BuiltinDetections {

  public static final String TAINTED_PERSISTENT_WRITE = "tainted-persistent-write";
  public static final String TAINTED_CRON = "tainted-cron";
  public static final String DENY_BURST = "deny-burst";
  public static final String CREDENTIAL_TO_UNBOUND_HOST = "credential-to-unbound-host";
  public static final String TAINTED_NEW_EGRESS = "tainted-new-egress";
  public static final String UNKNOWN_SKILL_SOURCE = "unknown-skill-source";
  public static final String SKILL_FILES_CHANGED = "skill-files-changed";
  public static final String AUDIT_VERIFICATION_FAILED = "audit-verification-failed";
  public static final String QUARANTINE = "quarantine";
  public static final String INGEST_OVERFLOW = "monitor-ingest-overflow";

  /** Sessions whose deny times are tracked at once; the least recently seen is forgotten first. */
  public static final int MAX_TRACKED_SESSIONS = 10_000;

  /** Egress hosts remembered as "seen"; beyond this, new hosts are still flagged but not remembered. */
  public static final int MAX_KNOWN_HOSTS = 200_000;

  /** Deny rules that mean a credential or secret was headed where it is not bound. */
  static final Pattern CREDENTIAL_RULE = Pattern.compile("credential|leak|placeholder|secret|unbound", Pattern.CASE_INSENSITIVE);

  private BuiltinDetections() {}

  /** All built-in rules, ids first. {@code knownEgressHosts} seeds the "new destination" rule. */
  public static Map<String, DetectionRule> all(DetectionConfig config, Collection<String> knownEgressHosts) {
    Map<String, DetectionRule> m = new LinkedHashMap<>();
    m.put(TAINTED_PERSISTENT_WRITE, BuiltinDetections::taintedPersistentWrite);
    m.put(TAINTED_CRON, BuiltinDetections::taintedCron);
    m.put(DENY_BURST, new DenyBurst(config.denyBurstThreshold(), config.denyBurstWindow().toMillis()));
    m.put(CREDENTIAL_TO_UNBOUND_HOST, BuiltinDetections::credentialToUnboundHost);
    m.put(TAINTED_NEW_EGRESS, new NewEgressFromTaintedSession(knownEgressHosts));
    m.put(UNKNOWN_SKILL_SOURCE, e -> unknownSkillSource(e, config.knownSkillSources()));
    m.put(SKILL_FILES_CHANGED, BuiltinDetections::skillFilesChanged);
    m.put(AUDIT_VERIFICATION_FAILED, BuiltinDetections::auditVerificationFailed);
    m.put(QUARANTINE, BuiltinDetections::quarantine);
    m.put(INGEST_OVERFLOW, BuiltinDetections::ingestOverflow);
    return m;
  }

  static Finding taintedPersistentWrite(OcsfEvent e) {
    if (!e.isDecision() || !e.tainted() || e.targetKindOrNull() == null || "deny".equals(e.verdictOrNull())) {
      return null;
    }
    boolean allowed = "allow".equals(e.verdictOrNull());
    return new Finding(TAINTED_PERSISTENT_WRITE, allowed ? Severity.HIGH : Severity.MEDIUM,
        "Write to " + e.targetKindOrNull() + " file " + e.resourceOrNull() + " from a tainted context",
        e.verdictOrNull() + " " + e.actionOrNull() + " " + e.resourceOrNull() + " in session " + e.sessionOrNull()
            + " whose context is " + e.body().get("label") + " (rule " + e.ruleOrNull() + ")",
        e.sessionOrNull(), TAINTED_PERSISTENT_WRITE + "|" + e.sessionOrNull() + "|" + e.targetKindOrNull());
  }

  static Finding taintedCron(OcsfEvent e) {
    if (!e.isDecision() || !"cron_create".equals(e.actionOrNull()) || !e.tainted() || "deny".equals(e.verdictOrNull())) {
      return null;
    }
    return new Finding(TAINTED_CRON, "allow".equals(e.verdictOrNull()) ? Severity.HIGH : Severity.MEDIUM,
        "Scheduled job " + e.resourceOrNull() + " created from a tainted context",
        e.verdictOrNull() + " cron_create " + e.resourceOrNull() + " (" + e.fieldString("schedule") + ") in session "
            + e.sessionOrNull() + " whose context is " + e.body().get("label"),
        e.sessionOrNull(), TAINTED_CRON + "|" + e.sessionOrNull() + "|" + e.resourceOrNull());
  }

  static Finding credentialToUnboundHost(OcsfEvent e) {
    if (!e.isDecision() || !"deny".equals(e.verdictOrNull())
        || !("egress".equals(e.actionOrNull()) || "credential_use".equals(e.actionOrNull()))) {
      return null;
    }
    String rule = e.ruleOrNull() == null ? "" : e.ruleOrNull();
    String reason = String.valueOf(e.body().get("reason"));
    if (!CREDENTIAL_RULE.matcher(rule).find()) {
      return null;
    }
    String host = e.hostOrNull() == null ? String.valueOf(e.resourceOrNull()) : e.hostOrNull();
    return new Finding(CREDENTIAL_TO_UNBOUND_HOST, Severity.HIGH,
        "Credential or secret headed to unbound host " + host,
        "denied " + e.actionOrNull() + " to " + host + " by rule " + rule + ": " + reason,
        e.sessionOrNull(), CREDENTIAL_TO_UNBOUND_HOST + "|" + e.sessionOrNull() + "|" + host);
  }

  static Finding unknownSkillSource(OcsfEvent e, List<String> knownSources) {
    boolean install = (e.isDecision() && "skill_install".equals(e.actionOrNull()) && !"deny".equals(e.verdictOrNull())
        && !"remove".equals(e.fieldString("operation")))
        || e.isEvent("skill", "install");
    if (!install) {
      return null;
    }
    String source = e.fieldString("source");
    for (String k : knownSources) {
      if (!k.isEmpty() && source.startsWith(k)) {
        return null;
      }
    }
    String skill = e.skillOrNull() == null ? e.fieldString("name") : e.skillOrNull();
    return new Finding(UNKNOWN_SKILL_SOURCE, Severity.MEDIUM,
        "Skill " + skill + " installed from unknown source " + (source.isEmpty() ? "(none given)" : source),
        "skill " + skill + " from '" + source + "' is not under any configured known source "
            + knownSources + " (monitor.detections.known_skill_sources)",
        e.sessionOrNull(), UNKNOWN_SKILL_SOURCE + "|" + skill + "|" + source);
  }

  static Finding skillFilesChanged(OcsfEvent e) {
    if (!e.isEvent("skill", "files_changed")) {
      return null;
    }
    String skill = e.skillOrNull() == null ? "?" : e.skillOrNull();
    return new Finding(SKILL_FILES_CHANGED, Severity.MEDIUM, "Files of skill " + skill + " changed since install",
        "changed: " + e.fieldString("files"), e.sessionOrNull(), SKILL_FILES_CHANGED + "|" + skill);
  }

  static Finding auditVerificationFailed(OcsfEvent e) {
    if (!"event".equals(e.recordType()) || !"audit".equals(e.eventCategoryOrNull())
        || e.eventNameOrNull() == null || !e.eventNameOrNull().toLowerCase(Locale.ROOT).contains("fail")) {
      return null;
    }
    return new Finding(AUDIT_VERIFICATION_FAILED, Severity.CRITICAL, "Audit log verification failed",
        e.fieldString("problem").isEmpty() ? String.valueOf(e.body()) : e.fieldString("problem"),
        e.sessionOrNull(), AUDIT_VERIFICATION_FAILED);
  }

  static Finding quarantine(OcsfEvent e) {
    if (!e.isEvent("containment", "quarantine")) {
      return null;
    }
    return new Finding(QUARANTINE, Severity.HIGH, "Warden was quarantined",
        "reason: " + e.fieldString("reason"), e.sessionOrNull(), QUARANTINE);
  }

  static Finding ingestOverflow(OcsfEvent e) {
    if (!"monitor".equals(e.recordType()) || !"ingest_overflow".equals(e.eventNameOrNull())) {
      return null;
    }
    return new Finding(INGEST_OVERFLOW, Severity.HIGH, "Monitor dropped audit records from its queue",
        e.fieldString("detail"), null, INGEST_OVERFLOW);
  }

  /** N denies in one session within a sliding window. */
  static final class DenyBurst implements DetectionRule {
    private final int threshold;
    private final long windowMillis;
    private final LinkedHashMap<String, ArrayDeque<Long>> bySession = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Long>> eldest) {
        return size() > MAX_TRACKED_SESSIONS;
      }
    };

    DenyBurst(int threshold, long windowMillis) {
      this.threshold = threshold;
      this.windowMillis = windowMillis;
    }

    @Override
    public Finding evaluateOrNull(OcsfEvent e) {
      if (!e.isDecision() || !"deny".equals(e.verdictOrNull())) {
        return null;
      }
      String session = e.sessionOrNull() == null ? "(no session)" : e.sessionOrNull();
      long t = e.time().toEpochMilli();
      ArrayDeque<Long> times = bySession.computeIfAbsent(session, k -> new ArrayDeque<>());
      times.addLast(t);
      while (!times.isEmpty() && times.peekFirst() <= t - windowMillis) {
        times.removeFirst();
      }
      while (times.size() > threshold) {
        times.removeFirst(); // only "at least threshold" matters
      }
      if (times.size() < threshold) {
        return null;
      }
      return new Finding(DENY_BURST, Severity.HIGH,
          "Burst of denied actions in session " + session,
          threshold + "+ denies within " + (windowMillis / 1000) + " s, latest: " + e.actionOrNull() + " "
              + e.resourceOrNull() + " (rule " + e.ruleOrNull() + ") at " + Instant.ofEpochMilli(t),
          e.sessionOrNull(), DENY_BURST + "|" + session);
    }
  }

  /** First egress to a host never seen before, from a session whose context is tainted. */
  static final class NewEgressFromTaintedSession implements DetectionRule {
    private final Set<String> known;

    NewEgressFromTaintedSession(Collection<String> seed) {
      this.known = new HashSet<>(seed);
    }

    @Override
    public Finding evaluateOrNull(OcsfEvent e) {
      if (!e.isDecision() || !"egress".equals(e.actionOrNull()) || e.hostOrNull() == null) {
        return null;
      }
      String host = e.hostOrNull();
      boolean isNew = !known.contains(host);
      if (isNew && known.size() < MAX_KNOWN_HOSTS) {
        known.add(host);
      }
      if (!isNew || !e.tainted()) {
        return null;
      }
      boolean allowed = "allow".equals(e.verdictOrNull());
      return new Finding(TAINTED_NEW_EGRESS, allowed ? Severity.HIGH : Severity.MEDIUM,
          "New egress destination " + host + " from a tainted session",
          e.verdictOrNull() + " " + e.fieldString("method") + " " + e.fieldString("url") + " in session "
              + e.sessionOrNull() + " whose context is " + e.body().get("label"),
          e.sessionOrNull(), TAINTED_NEW_EGRESS + "|" + e.sessionOrNull() + "|" + host);
    }
  }
}
