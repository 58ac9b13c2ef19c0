package dev.warden.testing.llm;

import java.util.Objects;

/**
 * A tool call a fake server answers with.
 *
 * @param id the call id ({@code call_…} for OpenAI, {@code toolu_…} for Anthropic, by convention)
 * @param name the tool name
 * @param argumentsJson the arguments' JSON text, sent as is (so a test can send malformed JSON);
 *     streamed in fragments of {@link FakeResponse.Reply#chunkChars()} characters
 */
public record FakeToolCall(String id, String name, String argumentsJson) {
  public FakeToolCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(argumentsJson, "argumentsJson");
  }
}
