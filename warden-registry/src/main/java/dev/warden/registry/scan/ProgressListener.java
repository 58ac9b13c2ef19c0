package dev.warden.registry.scan;

/**
 * Told about each skill as {@link SkillScanner#scanAll} finishes it.
 *
 * <p>Contract: the scanner serialises the calls (never two at once), in completion order, once per
 * skill, after {@code total} is known; {@code done} runs from 1 to {@code total}. Listeners must be
 * fast and must not throw (an exception is swallowed so that one bad listener cannot stop a scan).
 */
@FunctionalInterface
public interface ProgressListener {
  /** Does nothing. */
  ProgressListener NONE = (done, total, report) -> {};

  void onSkillScanned(int done, int total, ScanReport report);
}
