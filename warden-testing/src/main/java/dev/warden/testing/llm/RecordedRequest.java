package dev.warden.testing.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A request a fake server received, for assertions on the wire format.
 *
 * @param method the HTTP method
 * @param path the raw path, e.g. {@code /v1/chat/completions}
 * @param queryOrNull the raw query, or null
 * @param headers header names in lower case to their values
 * @param body the body text
 * @param jsonOrNull the parsed body, or null when it is not JSON
 */
public record RecordedRequest(String method, String path, String queryOrNull, Map<String, List<String>> headers,
    String body, JsonNode jsonOrNull) {

  /** The first value of header {@code name} (any case), or null. */
  public String header(String name) {
    List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** The parsed JSON body; fails when the body was not JSON. */
  public JsonNode json() {
    if (jsonOrNull == null) {
      throw new IllegalStateException("request body is not JSON: " + body);
    }
    return jsonOrNull;
  }

  /** Whether the client asked for a streamed (SSE) reply. */
  public boolean streaming() {
    return jsonOrNull != null && jsonOrNull.path("stream").asBoolean(false);
  }
}
