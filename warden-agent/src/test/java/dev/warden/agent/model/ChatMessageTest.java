package dev.warden.agent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatMessageTest {

  private static final ToolCall CALL = new ToolCall("c1", "read_file", Map.of("path", "a"));

  @Test
  void factories_setRoleAndFields() {
    assertThat(ChatMessage.user("u").role()).isEqualTo(Role.USER);
    assertThat(ChatMessage.system("s").role()).isEqualTo(Role.SYSTEM);
    ChatMessage a = ChatMessage.assistant(null, List.of(CALL));
    assertThat(a.content()).isEmpty();
    assertThat(a.toolCalls()).containsExactly(CALL);
    ChatMessage t = ChatMessage.tool("c1", "result");
    assertThat(t.toolCallIdOrNull()).isEqualTo("c1");
  }

  @Test
  void toolCallsOnNonAssistant_rejected() {
    assertThatThrownBy(() -> new ChatMessage(Role.USER, "x", List.of(CALL), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only assistant");
  }

  @Test
  void toolMessageWithoutCallId_rejected() {
    assertThatThrownBy(() -> ChatMessage.tool(" ", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChatMessage(Role.TOOL, "x", List.of(), null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void callIdOnNonToolMessage_rejected() {
    assertThatThrownBy(() -> new ChatMessage(Role.USER, "x", List.of(), "c1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullContentAndCalls_readAsEmpty_nullRole_rejected() {
    ChatMessage m = new ChatMessage(Role.ASSISTANT, null, null, null);
    assertThat(m.content()).isEmpty();
    assertThat(m.toolCalls()).isEmpty();
    assertThatThrownBy(() -> new ChatMessage(null, "x", List.of(), null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void toolCallList_isCopied() {
    List<ToolCall> calls = new ArrayList<>(List.of(CALL));
    ChatMessage a = ChatMessage.assistant("x", calls);
    calls.clear();
    assertThat(a.toolCalls()).hasSize(1);
    assertThatThrownBy(() -> a.toolCalls().add(CALL)).isInstanceOf(UnsupportedOperationException.class);
  }
}
