package dev.warden.monitor.drift;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One difference between what should be and what is.
 *
 * @param kind what kind of drift
 * @param subject the config key, skill name, policy file or home path concerned
 * @param expected the desired value (redacted for secret-looking keys; empty when not applicable)
 * @param actual the live value (same rules)
 * @param explanation one sentence for the operator: what it means and what to do
 */
public record DriftItem(Kind kind, String subject, String expected, String actual, String explanation) {

  /** Kinds of drift. */
  public enum Kind {
    /** warden.yaml could not be read or parsed. */
    DESIRED_STATE_UNREADABLE,
    /** A warden.yaml key has a different value in the running gateway. */
    CONFIG_VALUE_DIFFERS,
    /** A warden.yaml key is absent from the running configuration (not applied yet, or dropped). */
    CONFIG_KEY_NOT_RUNNING,
    /** A skill in skills.lock has no installed folder. */
    SKILL_NOT_INSTALLED,
    /** An installed skill folder is not in skills.lock. */
    SKILL_NOT_LOCKED,
    /** An installed skill's files hash differently from skills.lock. */
    SKILL_MODIFIED,
    /** The policies directory differs from what the gateway loaded. */
    POLICIES_NOT_LOADED,
    /** A path changed since the last snapshot without an audited action behind it. */
    UNEXPLAINED_CHANGE_SINCE_SNAPSHOT,
    /** A path changed since the last snapshot through audited actions. */
    CHANGED_SINCE_SNAPSHOT,
    /** No verified snapshot exists to compare with. */
    NO_SNAPSHOT
  }

  public DriftItem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(actual, "actual");
    Objects.requireNonNull(explanation, "explanation");
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
    m.put("subject", subject);
    m.put("expected", expected);
    m.put("actual", actual);
    m.put("explanation", explanation);
    return m;
  }
}
