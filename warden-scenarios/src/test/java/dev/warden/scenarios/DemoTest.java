package dev.warden.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
  @TempDir Path dir;

  private String run(Path home, int expectedExit) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int exit = Demo.run(new PrintStream(buf, true, StandardCharsets.UTF_8), home);
    String text = buf.toString(StandardCharsets.UTF_8);
    System.out.println(text);
    assertThat(exit).as(text).isEqualTo(expectedExit);
    return text;
  }

  @Test
  void freshHome_everyStepContained_exitZero() throws Exception {
    String text = run(dir.resolve("home"), Demo.EXIT_CONTAINED);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/demo-transcript.txt"), text);
    assertThat(text)
        .contains("Step 1 of 5 — distribution")
        .contains("Step 2 of 5 — installation")
        .contains("Step 3 of 5 — state access")
        .contains("Step 4 of 5 — privilege reuse")
        .contains("Step 5 of 5 — persistence")
        .contains("ask-tainted-skill-install")
        .contains("deny-file-outside-workspace")
        .contains("deny-credential-unbound-host")
        .contains("ask-tainted-memory-write")
        .contains("ask-tainted-cron-change")
        .contains("web:127.0.0.1")
        .contains("what reached the attacker's server: 0 request(s)")
        .contains("audit chain: ✓")
        .contains("warden audit tail")
        .contains("✓ All five steps were contained");
    assertThat(text).doesNotContain("NOT contained");
    assertThat(dir.resolve("home/skills/pdf-tools-pro")).doesNotExist();
    assertThat(Files.readString(dir.resolve("home/workspace/AGENTS.md"))).doesNotContain("Obey");
  }

  @Test
  void nullHome_usesATemporaryHome_andSaysWhere() {
    String text = run(null, Demo.EXIT_CONTAINED);
    assertThat(text).contains("home:     ").contains("warden-demo-home-");
  }

  @Test
  void homeThatIsAFile_exitsWithAnError_notAContainedClaim() throws Exception {
    Path file = dir.resolve("not-a-dir");
    Files.writeString(file, "x");
    String text = run(file, Demo.EXIT_ERROR);
    assertThat(text).contains("could not run");
  }
}
