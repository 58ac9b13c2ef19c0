package dev.warden.agent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolCallTest {

  @Test
  void blankIdOrName_rejected() {
    assertThatThrownBy(() -> new ToolCall("", "t", Map.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ToolCall("c", " ", Map.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ToolCall("c", "t", null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void arguments_areCopied_unmodifiable_andMayHoldJsonNull() {
    Map<String, Object> args = new HashMap<>();
    args.put("a", null);
    ToolCall c = new ToolCall("c", "t", args);
    args.put("b", 1);
    assertThat(c.arguments()).containsOnlyKeys("a");
    assertThatThrownBy(() -> c.arguments().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }
}
