package dev.warden.agent.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatRequestTest {

  @Test
  void noMessages_rejected() {
    assertThatThrownBy(() -> new ChatRequest(List.of(), List.of(), 10)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nonPositiveOutputBound_rejected() {
    assertThatThrownBy(() -> new ChatRequest(List.of(ChatMessage.user("x")), List.of(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void duplicateToolNames_rejected() {
    ToolSpec t = new ToolSpec("t", "d", Map.of());
    assertThatThrownBy(() -> new ChatRequest(List.of(ChatMessage.user("x")), List.of(t, t), 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
  }
}
