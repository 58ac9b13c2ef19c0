package dev.warden.registry.pkg;

/** The scanner's verdict on a skill, worst last. The scanner itself lives in another package. */
public enum ScanVerdict {
  CLEAN,
  SUSPICIOUS,
  MALICIOUS;

  public boolean atMost(ScanVerdict threshold) {
    return compareTo(threshold) <= 0;
  }
}
