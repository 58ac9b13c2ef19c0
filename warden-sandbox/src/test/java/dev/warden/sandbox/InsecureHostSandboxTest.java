package dev.warden.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InsecureHostSandboxTest {

  @TempDir Path ws;
  private final InsecureHostSandbox host = InsecureHostSandbox.create();

  @Test
  void describe_saysUnprotected() {
    assertThat(host.describe()).startsWith("UNPROTECTED");
  }

  @Test
  void run_usesWorkspaceAndAllowlistedEnvironment() throws Exception {
    SandboxResult r = host.run(SandboxSpec.builder(ws, "/bin/sh", "-c", "pwd; echo $HOME; env | grep -c WARDEN_TEST")
        .env("TOKEN", "wdn-cred:x").build());
    assertThat(r.stdout()).isEqualTo(ws.toRealPath() + "\n" + ws + "\n0\n");
  }

  @Test
  void run_outputLimit_stillApplies() throws Exception {
    SandboxResult r = host.run(SandboxSpec.builder(ws, "yes")
        .limits(Limits.DEFAULT.withMaxOutputBytes(1024)).build());
    assertThat(r.termination()).isEqualTo(Termination.OUTPUT_LIMIT);
    assertThat(r.stdoutTruncated()).isTrue();
  }

  @Test
  void run_wallTime_killsTheTree() throws Exception {
    SandboxResult r = host.run(SandboxSpec.builder(ws, "/bin/sh", "-c", "sleep 30 & sleep 30")
        .limits(Limits.DEFAULT.withWallTime(Duration.ofMillis(500))).build());
    assertThat(r.termination()).isEqualTo(Termination.WALL_TIMEOUT);
    assertThat(r.wallDuration()).isLessThan(Duration.ofSeconds(5));
  }
}
