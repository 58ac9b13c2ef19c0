package dev.warden.registry.scan;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The scanner's judgement of one skill. */
public enum Verdict {
  CLEAN,
  SUSPICIOUS,
  MALICIOUS;

  /**
   * The verdict rules (documented in {@code docs/scanner.md}):
   *
   * <ol>
   *   <li>any {@link Severity#CRITICAL} finding → MALICIOUS;
   *   <li>{@link Severity#HIGH} findings in two or more categories (the rule code's hundreds digit:
   *       execution, credentials, obfuscation, agent instructions, Unicode, manifest, name) →
   *       MALICIOUS, because independent red flags rarely coincide by accident;
   *   <li>any HIGH or MEDIUM finding → SUSPICIOUS;
   *   <li>otherwise (only LOW / INFO notes, or nothing) → CLEAN.
   * </ol>
   */
  public static Verdict of(List<Finding> findings) {
    Set<Character> highCategories = new TreeSet<>();
    boolean suspicious = false;
    for (Finding f : findings) {
      switch (f.severity()) {
        case CRITICAL -> {
          return MALICIOUS;
        }
        case HIGH -> {
          highCategories.add(f.category());
          suspicious = true;
        }
        case MEDIUM -> suspicious = true;
        default -> {}
      }
    }
    if (highCategories.size() >= 2) {
      return MALICIOUS;
    }
    return suspicious ? SUSPICIOUS : CLEAN;
  }
}
