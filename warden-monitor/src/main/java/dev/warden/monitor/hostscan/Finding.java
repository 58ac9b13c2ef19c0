package dev.warden.monitor.hostscan;

import java.util.Objects;

/**
 * One posture problem found on the host.
 *
 * @param rule which check ({@link Rule#id()} is the stable finding id)
 * @param severity usually the rule's default, raised or lowered by context
 * @param location the file or pseudo-location ({@code /proc/net/tcp:18789}) it was found at, as on
 *     the scanned host (without the {@code --root} prefix)
 * @param detail what exactly was seen (secret values are never included)
 * @param installId the {@link AgentInstall#id()} it belongs to
 */
public record Finding(Rule rule, Severity severity, String location, String detail, String installId) {
  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(installId, "installId");
  }

  public String id() {
    return rule.id();
  }

  public String fix() {
    return rule.fix();
  }
}
