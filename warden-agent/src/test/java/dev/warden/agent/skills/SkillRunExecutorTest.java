package dev.warden.agent.skills;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interpreter rule; the sandboxed runs themselves are in the gateway's SkillsEndToEndTest. */
class SkillRunExecutorTest {
  @TempDir Path dir;

  String interpreter(String file, String text) throws Exception {
    Path p = dir.resolve(file);
    Files.writeString(p, text);
    return SkillRunExecutor.interpreterOf(p);
  }

  @Test
  void shebang_givesItsBasename() throws Exception {
    assertThat(interpreter("a", "#!/bin/sh\necho\n")).isEqualTo("sh");
    assertThat(interpreter("b", "#!/usr/bin/python3 -u\n")).isEqualTo("python3");
  }

  @Test
  void envShebang_givesTheProgram_notEnv() throws Exception {
    assertThat(interpreter("c", "#!/usr/bin/env -S node\n")).isEqualTo("node");
  }

  @Test
  void noShebang_fallsBackToExtension_elseNull() throws Exception {
    assertThat(interpreter("d.sh", "echo\n")).isEqualTo("sh");
    assertThat(interpreter("e.py", "print(1)\n")).isEqualTo("python3");
    assertThat(interpreter("f.bin", "\u0000\u0001")).isNull();
    assertThat(interpreter("g", "#!\n")).isNull();
  }
}
