package dev.warden.agent.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {
  @Test
  void escapeSequencesAndBidiOverrides_areEscaped_newlinesKept() {
    String out = SafeText.forTerminal("a\u001b[2Jb\u202Ec\rd\ne\tf\u009bg");

    assertThat(out).isEqualTo("a\\u001b[2Jb\\u202ec\\u000dd\ne\tf\\u009bg");
  }

  @Test
  void plainText_unchanged() {
    assertThat(SafeText.forTerminal("Echo the given text back. é 漢字")).isEqualTo("Echo the given text back. é 漢字");
  }
}
