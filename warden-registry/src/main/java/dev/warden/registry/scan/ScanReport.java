package dev.warden.registry.scan;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The scanner's result for one skill folder.
 *
 * @param skill the skill's name (from its frontmatter, or the folder name when it does not load)
 * @param dir the skill folder
 * @param verdict {@link Verdict#of} the findings
 * @param findings sorted by severity (worst first), then file and line
 */
public record ScanReport(String skill, Path dir, Verdict verdict, List<Finding> findings) {
  private static final Comparator<Finding> ORDER = Comparator
      .comparing(Finding::severity, Comparator.reverseOrder())
      .thenComparing(Finding::file)
      .thenComparingInt(Finding::line)
      .thenComparing(Finding::code);

  public ScanReport {
    Objects.requireNonNull(skill, "skill");
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(verdict, "verdict");
    findings = findings.stream().sorted(ORDER).toList();
    if (verdict != Verdict.of(findings)) {
      throw new IllegalArgumentException("verdict " + verdict + " does not follow from the findings (expected "
          + Verdict.of(findings) + "); build reports with ScanReport.of");
    }
  }

  /** A report whose verdict follows from the findings. */
  public static ScanReport of(String skill, Path dir, List<Finding> findings) {
    return new ScanReport(skill, dir, Verdict.of(findings), findings);
  }

  /** Whether any finding has this code. */
  public boolean has(String code) {
    return findings.stream().anyMatch(f -> f.code().equals(code));
  }

  /** Findings that count toward the verdict (MEDIUM and above). */
  public List<Finding> significant() {
    return findings.stream().filter(f -> f.severity().compareTo(Severity.MEDIUM) >= 0).toList();
  }
}
