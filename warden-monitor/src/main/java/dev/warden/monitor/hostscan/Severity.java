package dev.warden.monitor.hostscan;

/** How bad a finding is; SARIF levels: critical/high → error, medium → warning, low/info → note. */
public enum Severity {
  CRITICAL,
  HIGH,
  MEDIUM,
  LOW,
  INFO;

  public String sarifLevel() {
    return switch (this) {
      case CRITICAL, HIGH -> "error";
      case MEDIUM -> "warning";
      case LOW, INFO -> "note";
    };
  }

  /** SARIF {@code security-severity} (GitHub's 0–10 scale). */
  public String securitySeverity() {
    return switch (this) {
      case CRITICAL -> "9.5";
      case HIGH -> "8.0";
      case MEDIUM -> "5.5";
      case LOW -> "3.0";
      case INFO -> "0.0";
    };
  }
}
