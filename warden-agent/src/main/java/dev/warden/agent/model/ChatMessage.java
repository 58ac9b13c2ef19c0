package dev.warden.agent.model;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation as sent to a model.
 *
 * <p>Invariants, checked when built: only {@link Role#ASSISTANT} messages carry tool calls; a
 * {@link Role#TOOL} message always names the call it answers and no other role does; content is
 * never null (an assistant message that only calls tools has empty content; a null content or tool
 * call list given to the constructor is read as empty).
 *
 * @param role who wrote it
 * @param content the text; empty when there is none
 * @param toolCalls the calls an assistant message made; empty otherwise; unmodifiable
 * @param toolCallIdOrNull for a tool result, the {@link ToolCall#id()} it answers; else null
 */
public record ChatMessage(Role role, String content, List<ToolCall> toolCalls, String toolCallIdOrNull) {

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    // Null means none; normalised so readers never see null.
    content = content == null ? "" : content;
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
      throw new IllegalArgumentException("only assistant messages carry tool calls, got role " + role);
    }
    if (role == Role.TOOL && (toolCallIdOrNull == null || toolCallIdOrNull.isBlank())) {
      throw new IllegalArgumentException("a tool message must name the tool call id it answers");
    }
    if (role != Role.TOOL && toolCallIdOrNull != null) {
      throw new IllegalArgumentException("only tool messages carry a tool call id, got role " + role);
    }
  }

  public static ChatMessage system(String content) {
    return new ChatMessage(Role.SYSTEM, content, List.of(), null);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage(Role.USER, content, List.of(), null);
  }

  /** An assistant turn; {@code textOrNull} may be null or empty when the turn only calls tools. */
  public static ChatMessage assistant(String textOrNull, List<ToolCall> toolCalls) {
    return new ChatMessage(Role.ASSISTANT, textOrNull == null ? "" : textOrNull, toolCalls, null);
  }

  public static ChatMessage assistant(String text) {
    return assistant(text, List.of());
  }

  /** The result of the tool call {@code toolCallId}. */
  public static ChatMessage tool(String toolCallId, String content) {
    return new ChatMessage(Role.TOOL, content, List.of(), toolCallId);
  }
}
