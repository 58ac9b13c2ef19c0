package dev.warden.registry.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictTest {
  private static Finding f(String code, Severity s) {
    return new Finding(code, s, "SKILL.md", 1, "m");
  }

  @Test
  void of_nothingOrNotesOnly_clean() {
    assertThat(Verdict.of(List.of())).isEqualTo(Verdict.CLEAN);
    assertThat(Verdict.of(List.of(f("WS101", Severity.LOW), f("WS204", Severity.INFO)))).isEqualTo(Verdict.CLEAN);
  }

  @Test
  void of_medium_suspicious() {
    assertThat(Verdict.of(List.of(f("WS302", Severity.MEDIUM)))).isEqualTo(Verdict.SUSPICIOUS);
  }

  @Test
  void of_highsInOneCategory_suspicious() {
    assertThat(Verdict.of(List.of(f("WS201", Severity.HIGH), f("WS202", Severity.HIGH)))).isEqualTo(Verdict.SUSPICIOUS);
  }

  @Test
  void of_highsInTwoCategories_malicious() {
    assertThat(Verdict.of(List.of(f("WS201", Severity.HIGH), f("WS401", Severity.HIGH)))).isEqualTo(Verdict.MALICIOUS);
  }

  @Test
  void of_critical_malicious() {
    assertThat(Verdict.of(List.of(f("WS102", Severity.CRITICAL)))).isEqualTo(Verdict.MALICIOUS);
  }

  @Test
  void scanReport_inconsistentVerdict_rejected() {
    assertThatThrownBy(() -> new ScanReport("x", Path.of("/x"), Verdict.CLEAN, List.of(f("WS102", Severity.CRITICAL))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void finding_longMessage_truncated_negativeLine_rejected() {
    assertThat(new Finding("WS101", Severity.HIGH, "a", 1, "x".repeat(1000)).message()).hasSize(Finding.MAX_MESSAGE_CHARS);
    assertThatThrownBy(() -> new Finding("WS101", Severity.HIGH, "a", -1, "m")).isInstanceOf(IllegalArgumentException.class);
  }
}
