package dev.warden.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.sandbox.Limits;
import dev.warden.sandbox.Termination;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessSupervisorTest {

  @Test
  void classify_cleanExit_isExited() {
    assertThat(ProcessSupervisor.classify(null, 0, "")).isEqualTo(Termination.EXITED);
    assertThat(ProcessSupervisor.classify(null, 2, "grep: x: No such file")).isEqualTo(Termination.EXITED);
  }

  @Test
  void classify_sigxcpu_isCpuLimit() {
    assertThat(ProcessSupervisor.classify(null, 152, "")).isEqualTo(Termination.CPU_LIMIT);
  }

  @Test
  void classify_allocationFailure_isMemoryLimit() {
    assertThat(ProcessSupervisor.classify(null, 1, "Traceback...\nMemoryError\n")).isEqualTo(Termination.MEMORY_LIMIT);
    assertThat(ProcessSupervisor.classify(null, 1, "tail: memory exhausted")).isEqualTo(Termination.MEMORY_LIMIT);
  }

  @Test
  void classify_memoryWordsWithSuccess_isExited() {
    assertThat(ProcessSupervisor.classify(null, 0, "MemoryError is a python class")).isEqualTo(Termination.EXITED);
  }

  @Test
  void classify_failedForks_isProcessLimit_evenAfterExitOrTimeout() {
    assertThat(ProcessSupervisor.classify(null, 0, "sh: 1: Cannot fork")).isEqualTo(Termination.PROCESS_LIMIT);
    assertThat(ProcessSupervisor.classify(Termination.WALL_TIMEOUT, 137,
        "bash: fork: retry: Resource temporarily unavailable")).isEqualTo(Termination.PROCESS_LIMIT);
  }

  @Test
  void classify_supervisorKill_wins() {
    assertThat(ProcessSupervisor.classify(Termination.OUTPUT_LIMIT, 137, "MemoryError")).isEqualTo(Termination.OUTPUT_LIMIT);
    assertThat(ProcessSupervisor.classify(Termination.WALL_TIMEOUT, 137, "")).isEqualTo(Termination.WALL_TIMEOUT);
  }

  @Test
  void classify_otherSignal_isKilledBySignal() {
    assertThat(ProcessSupervisor.classify(null, 139, "")).isEqualTo(Termination.KILLED_BY_SIGNAL);
  }

  @Test
  void summary_namesTheLimit() {
    Limits l = Limits.DEFAULT.withMaxOutputBytes(1000);
    assertThat(ProcessSupervisor.summary(Termination.OUTPUT_LIMIT, 137, Duration.ofMillis(5), l))
        .contains("output limit of 1000 bytes");
    assertThat(ProcessSupervisor.summary(Termination.KILLED_BY_SIGNAL, 153, Duration.ofMillis(5), l))
        .contains("SIGXFSZ");
  }
}
