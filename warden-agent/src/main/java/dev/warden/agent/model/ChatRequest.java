package dev.warden.agent.model;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One call to a model: the whole conversation window, the tools on offer and an output bound.
 *
 * @param messages the conversation, oldest first; at least one; unmodifiable
 * @param tools the tools the model may call; names unique; unmodifiable
 * @param maxOutputTokens upper bound on tokens the model may generate for this reply; positive
 */
public record ChatRequest(List<ChatMessage> messages, List<ToolSpec> tools, int maxOutputTokens) {

  public ChatRequest {
    messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
    tools = List.copyOf(Objects.requireNonNull(tools, "tools"));
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a chat request needs at least one message");
    }
    if (maxOutputTokens <= 0) {
      throw new IllegalArgumentException("maxOutputTokens must be positive, got " + maxOutputTokens);
    }
    Set<String> names = new HashSet<>();
    for (ToolSpec t : tools) {
      if (!names.add(t.name())) {
        throw new IllegalArgumentException("tool name offered twice: " + t.name());
      }
    }
  }
}
