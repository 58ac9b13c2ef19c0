package dev.warden.agent.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tool offered to the model.
 *
 * @param name what the model calls it; 1 to 64 of {@code [A-Za-z0-9_-]}, the intersection of what
 *     the OpenAI and Anthropic APIs accept
 * @param description what the tool does, for the model
 * @param parametersJsonSchema a JSON Schema object for the arguments, e.g. {@code {"type":
 *     "object", "properties": {...}, "required": [...]}}; unmodifiable
 */
public record ToolSpec(String name, String description, Map<String, Object> parametersJsonSchema) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public ToolSpec {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "tool name must be 1 to 64 characters of [A-Za-z0-9_-] (what both OpenAI and Anthropic accept), got: "
              + name);
    }
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parametersJsonSchema, "parametersJsonSchema");
    parametersJsonSchema = Collections.unmodifiableMap(new LinkedHashMap<>(parametersJsonSchema));
  }
}
