package dev.warden.policy;

import java.util.Objects;

/**
 * One loaded Cedar policy as Warden reads its annotations.
 *
 * @param id the policy's {@code @id}; unique across the default and operator files
 * @param outcome what the policy yields when it determines a decision: a permit yields
 *     {@link Outcome#ALLOW}; a forbid yields {@link Outcome#DENY}, or {@link Outcome#ASK} when
 *     annotated {@code @decision("ask")}
 * @param reasonTemplate the {@code @reason} sentence with its {@code {placeholders}}
 * @param sources which label sources a decision by this rule names (see {@link Sources})
 * @param file where the policy was loaded from ({@code classpath:policies/default/…} or a path)
 * @param line the 1-based line of the policy's first annotation in {@code file}
 */
public record PolicyRule(String id, Outcome outcome, String reasonTemplate, Sources sources, String file, int line) {

  public enum Outcome {
    ALLOW,
    DENY,
    ASK
  }

  /** Which label sources a decision names ({@code @sources("…")}). */
  public enum Sources {
    /** The label played no part: name none. */
    NONE,
    /** The label's untrusted sources ({@link dev.warden.kernel.Label#untrustedSources()}). */
    UNTRUSTED,
    /** Every source of the label (for confidentiality: any of them may have brought the secret). */
    ALL
  }

  public PolicyRule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reasonTemplate, "reasonTemplate");
    Objects.requireNonNull(sources, "sources");
    Objects.requireNonNull(file, "file");
  }

  /** {@code file:line}, for messages. */
  public String location() {
    return file + ":" + line;
  }
}
