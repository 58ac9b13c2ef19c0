package dev.warden.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimitsTest {

  @Test
  void defaults_matchTheNamedConstants() {
    assertThat(Limits.DEFAULT.wallTime()).isEqualTo(Duration.ofSeconds(Limits.DEFAULT_WALL_TIME_SECONDS));
    assertThat(Limits.DEFAULT.cpuSeconds()).isEqualTo(Limits.DEFAULT_CPU_SECONDS);
    assertThat(Limits.DEFAULT.memoryBytes()).isEqualTo(Limits.DEFAULT_MEMORY_BYTES);
    assertThat(Limits.DEFAULT.maxProcesses()).isEqualTo(Limits.DEFAULT_MAX_PROCESSES);
    assertThat(Limits.DEFAULT.maxOutputBytes()).isEqualTo(Limits.DEFAULT_MAX_OUTPUT_BYTES);
    assertThat(Limits.DEFAULT.maxFileSizeBytes()).isEqualTo(Limits.DEFAULT_MAX_FILE_SIZE_BYTES);
  }

  @Test
  void zeroWallTime_fails() {
    assertThatThrownBy(() -> Limits.DEFAULT.withWallTime(Duration.ZERO)).hasMessageContaining("wallTime");
  }

  @Test
  void zeroCpu_fails() {
    assertThatThrownBy(() -> Limits.DEFAULT.withCpuSeconds(0)).hasMessageContaining("cpuSeconds");
  }

  @Test
  void tinyMemory_fails() {
    assertThatThrownBy(() -> Limits.DEFAULT.withMemoryBytes(Limits.MIN_MEMORY_BYTES - 1))
        .hasMessageContaining("memoryBytes");
  }

  @Test
  void tooFewProcesses_fails() {
    assertThatThrownBy(() -> Limits.DEFAULT.withMaxProcesses(Limits.MIN_PROCESSES - 1))
        .hasMessageContaining("maxProcesses");
  }

  @Test
  void outputOutsideBounds_fails() {
    assertThatThrownBy(() -> Limits.DEFAULT.withMaxOutputBytes(Limits.MIN_OUTPUT_BYTES - 1))
        .hasMessageContaining("maxOutputBytes");
    assertThatThrownBy(() -> Limits.DEFAULT.withMaxOutputBytes(Limits.MAX_OUTPUT_BYTES + 1))
        .hasMessageContaining("maxOutputBytes");
  }

  @Test
  void zeroFileSize_fails() {
    assertThatThrownBy(() -> Limits.DEFAULT.withMaxFileSizeBytes(0)).hasMessageContaining("maxFileSizeBytes");
  }

  @Test
  void withers_changeOneField() {
    Limits l = Limits.DEFAULT.withMaxProcesses(10);
    assertThat(l.maxProcesses()).isEqualTo(10);
    assertThat(l.withMaxProcesses(Limits.DEFAULT_MAX_PROCESSES)).isEqualTo(Limits.DEFAULT);
  }
}
