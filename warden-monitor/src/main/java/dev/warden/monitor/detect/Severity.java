package dev.warden.monitor.detect;

/** Alert severity, with the OCSF {@code severity_id} and the RFC 5424 syslog severity it maps to. */
public enum Severity {
  INFO(1, 6),
  LOW(2, 5),
  MEDIUM(3, 4),
  HIGH(4, 3),
  CRITICAL(5, 2);

  public final int ocsfId;
  public final int syslogSeverity;

  Severity(int ocsfId, int syslogSeverity) {
    this.ocsfId = ocsfId;
    this.syslogSeverity = syslogSeverity;
  }

  public String lower() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Severity parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown severity '" + s + "'; use info, low, medium, high or critical", e);
    }
  }
}
