package dev.warden.monitor.hostscan;

import java.util.List;

/**
 * Everything one host scan found. Findings are sorted by severity, then id, then location.
 *
 * @param root the scanned root on this machine ({@code /} for the live host)
 */
public record ScanReport(String root, List<AgentInstall> installs, List<Finding> findings, List<String> errors) {
  public ScanReport {
    installs = List.copyOf(installs);
    findings = List.copyOf(findings);
    errors = List.copyOf(errors);
  }

  /** Findings at or above {@code s}. */
  public List<Finding> atLeast(Severity s) {
    return findings.stream().filter(f -> f.severity().ordinal() <= s.ordinal()).toList();
  }
}
