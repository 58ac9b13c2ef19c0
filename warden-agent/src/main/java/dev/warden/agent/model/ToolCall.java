package dev.warden.agent.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A tool invocation the model asked for. The model's output is data, never authority: the agent
 * loop turns each call into a kernel {@code Action}, and the kernel decides.
 *
 * @param id the provider's id for this call (generated when the provider gives none); a later
 *     {@link Role#TOOL} message answers it with {@link ChatMessage#toolCallIdOrNull()}
 * @param name the tool name, as offered in {@link ToolSpec#name()} (the model may also invent one)
 * @param arguments the parsed JSON object of arguments; values are JSON-shaped ({@code String},
 *     {@code Number}, {@code Boolean}, {@code null}, {@code List}, {@code Map}); unmodifiable
 */
public record ToolCall(String id, String name, Map<String, Object> arguments) {

  public ToolCall {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("tool call id must be non-blank, got: " + id);
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("tool call name must be non-blank (call id " + id + ")");
    }
    Objects.requireNonNull(arguments, "arguments");
    // LinkedHashMap keeps the model's key order and, unlike Map.copyOf, allows JSON nulls.
    arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
  }
}
