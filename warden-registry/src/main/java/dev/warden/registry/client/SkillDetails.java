package dev.warden.registry.client;

import java.util.List;

/** Everything the registry says about one skill. */
public record SkillDetails(SkillSummary summary, List<VersionInfo> versions, List<SkillReport> reports) {
  public SkillDetails {
    versions = List.copyOf(versions);
    reports = List.copyOf(reports);
  }
}
