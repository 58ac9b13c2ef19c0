package dev.warden.registry.scan;

/**
 * How much a finding weighs. {@link #INFO} and {@link #LOW} are notes that never change a verdict;
 * {@link #MEDIUM} and {@link #HIGH} make a skill suspicious; {@link #CRITICAL} (or HIGH findings of
 * two different categories) make it malicious. See {@link Verdict#of}.
 */
public enum Severity {
  INFO,
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  /** SARIF result level: error, warning or note. */
  public String sarifLevel() {
    return switch (this) {
      case CRITICAL, HIGH -> "error";
      case MEDIUM -> "warning";
      case LOW, INFO -> "note";
    };
  }
}
