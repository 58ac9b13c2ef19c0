package dev.warden.agent.model;

import java.util.List;
import java.util.Objects;

/**
 * A model's reply.
 *
 * @param text the text the model wrote; empty when it only called tools (null is read as empty)
 * @param toolCalls the tool calls it asked for, in order; empty when none; unmodifiable
 * @param usage tokens used
 * @param stopReason the provider's own reason, unchanged (OpenAI-compatible: {@code stop},
 *     {@code tool_calls}, {@code length}…; Anthropic: {@code end_turn}, {@code tool_use},
 *     {@code max_tokens}…; scripted: {@code stop} or {@code tool_calls}); {@code unknown} when the
 *     provider gave none
 */
public record ChatResponse(String text, List<ToolCall> toolCalls, Usage usage, String stopReason) {

  public ChatResponse {
    text = text == null ? "" : text;
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(stopReason, "stopReason");
  }

  /** Whether the model stopped because it hit the output bound rather than by choice. */
  public boolean truncated() {
    return stopReason.equals("length") || stopReason.equals("max_tokens");
  }
}
