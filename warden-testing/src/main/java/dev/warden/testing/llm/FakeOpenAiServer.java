package dev.warden.testing.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake OpenAI Chat Completions server ({@code POST …/chat/completions}), also standing in for
 * Azure OpenAI ({@code /openai/deployments/NAME/chat/completions?api-version=…} with an {@code
 * api-key} header) and for compatible local servers.
 *
 * <p>Checks what the real API rejects: a body that is not JSON, no {@code messages}, a missing
 * {@code model} (outside Azure paths), and a {@code tool} message whose {@code tool_call_id} answers
 * no call of the preceding assistant message; those get 400. Streaming follows the real format:
 * {@code chat.completion.chunk} objects with {@code delta.content} and {@code delta.tool_calls[]}
 * (id and name first, then argument fragments, keyed by {@code index}), a chunk with the finish
 * reason, a usage chunk when {@code stream_options.include_usage} is set, then {@code [DONE]}.
 */
public final class FakeOpenAiServer extends FakeLlmServer {

  private final AtomicInteger ids = new AtomicInteger();

  private FakeOpenAiServer() {}

  /** Starts a server on 127.0.0.1 and a free port. */
  public static FakeOpenAiServer start() {
    FakeOpenAiServer s = new FakeOpenAiServer();
    s.serve();
    return s;
  }

  /** {@code http://127.0.0.1:PORT/v1}, for {@code openai:MODEL@BASE_URL}. */
  @Override
  public String baseUrl() {
    return origin() + "/v1";
  }

  /** {@code http://127.0.0.1:PORT?api-version=V}, for {@code azure:DEPLOYMENT@…}. */
  public String azureUrl(String apiVersion) {
    return origin() + "?api-version=" + apiVersion;
  }

  @Override
  public FakeOpenAiServer enqueue(FakeResponse... responses) {
    super.enqueue(responses);
    return this;
  }

  @Override
  public FakeOpenAiServer requireApiKey(String key) {
    super.requireApiKey(key);
    return this;
  }

  /** The body of a real OpenAI error of this type. */
  public static String errorBody(String message, String type) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error").put("message", message).put("type", type).putNull("param").putNull("code");
    return json(root);
  }

  private static boolean azure(RecordedRequest r) {
    return r.path().startsWith("/openai/deployments/");
  }

  @Override
  protected boolean hasKey(RecordedRequest r, String key) {
    return azure(r) ? key.equals(r.header("api-key")) : ("Bearer " + key).equals(r.header("authorization"));
  }

  @Override
  protected String unauthorisedBody() {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error").put("message", "Incorrect API key provided.").put("type", "invalid_request_error")
        .putNull("param").put("code", "invalid_api_key");
    return json(root);
  }

  @Override
  protected String badRequestBody(String message) {
    return errorBody(message, "invalid_request_error");
  }

  @Override
  protected String validate(RecordedRequest r) {
    if (!r.method().equals("POST") || !r.path().endsWith("/chat/completions")) {
      return "unknown endpoint " + r.method() + " " + r.path();
    }
    JsonNode j = r.jsonOrNull();
    if (j == null || !j.isObject()) {
      return "the body is not a JSON object";
    }
    if (!azure(r) && !j.path("model").isTextual()) {
      return "you must provide a model parameter";
    }
    if (azure(r) && (r.queryOrNull() == null || !r.queryOrNull().contains("api-version="))) {
      return "missing required query parameter api-version";
    }
    JsonNode messages = j.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      return "messages must be a non-empty array";
    }
    Set<String> open = new HashSet<>();
    for (JsonNode m : messages) {
      String role = m.path("role").asText();
      switch (role) {
        case "system", "user", "developer" -> {
          if (!m.path("content").isTextual()) {
            return role + " message without string content";
          }
          open.clear();
        }
        case "assistant" -> {
          open.clear();
          for (JsonNode c : m.path("tool_calls")) {
            if (!c.path("function").path("arguments").isTextual()) {
              return "tool_calls[].function.arguments must be a string";
            }
            open.add(c.path("id").asText());
          }
        }
        case "tool" -> {
          if (!open.contains(m.path("tool_call_id").asText())) {
            return "a 'tool' message must respond to a preceding message with 'tool_calls' (id "
                + m.path("tool_call_id").asText() + ")";
          }
        }
        default -> {
          return "unknown role " + role;
        }
      }
    }
    return null;
  }

  private String stop(FakeResponse.Reply reply) {
    if (reply.stopReasonOrNull() != null) {
      return reply.stopReasonOrNull();
    }
    return reply.toolCalls().isEmpty() ? "stop" : "tool_calls";
  }

  private static String model(RecordedRequest r) {
    return r.json().path("model").asText("azure-deployment");
  }

  @Override
  protected void writeJson(HttpExchange ex, RecordedRequest r, FakeResponse.Reply reply) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-fake-" + ids.incrementAndGet()).put("object", "chat.completion")
        .put("created", 1_700_000_000L).put("model", model(r));
    ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    if (reply.text().isEmpty() && !reply.toolCalls().isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", reply.text());
    }
    if (!reply.toolCalls().isEmpty()) {
      ArrayNode calls = message.putArray("tool_calls");
      for (FakeToolCall c : reply.toolCalls()) {
        calls.addObject().put("id", c.id()).put("type", "function").putObject("function")
            .put("name", c.name()).put("arguments", c.argumentsJson());
      }
    }
    choice.put("finish_reason", stop(reply));
    root.putObject("usage").put("prompt_tokens", reply.inputTokens()).put("completion_tokens", reply.outputTokens())
        .put("total_tokens", reply.inputTokens() + reply.outputTokens());
    send(ex, 200, "application/json", json(root));
  }

  @Override
  protected void writeStream(HttpExchange ex, RecordedRequest r, FakeResponse.Reply reply) throws IOException {
    String id = "chatcmpl-fake-" + ids.incrementAndGet();
    String model = model(r);
    try (OutputStream out = startSse(ex)) {
      ObjectNode first = chunk(id, model);
      first.putArray("choices").addObject().put("index", 0).putNull("finish_reason")
          .putObject("delta").put("role", "assistant").put("content", "");
      event(out, null, json(first), reply.delayBetweenChunks());
      if (!reply.text().isEmpty()) {
        for (String piece : pieces(reply.text(), reply.chunkChars())) {
          ObjectNode c = chunk(id, model);
          c.putArray("choices").addObject().put("index", 0).putNull("finish_reason")
              .putObject("delta").put("content", piece);
          event(out, null, json(c), reply.delayBetweenChunks());
        }
      }
      for (int i = 0; i < reply.toolCalls().size(); i++) {
        FakeToolCall call = reply.toolCalls().get(i);
        ObjectNode head = chunk(id, model);
        head.putArray("choices").addObject().put("index", 0).putNull("finish_reason")
            .putObject("delta").putArray("tool_calls").addObject().put("index", i).put("id", call.id())
            .put("type", "function").putObject("function").put("name", call.name()).put("arguments", "");
        event(out, null, json(head), reply.delayBetweenChunks());
        for (String piece : pieces(call.argumentsJson(), reply.chunkChars())) {
          ObjectNode c = chunk(id, model);
          c.putArray("choices").addObject().put("index", 0).putNull("finish_reason")
              .putObject("delta").putArray("tool_calls").addObject().put("index", i)
              .putObject("function").put("arguments", piece);
          event(out, null, json(c), reply.delayBetweenChunks());
        }
      }
      ObjectNode last = chunk(id, model);
      last.putArray("choices").addObject().put("index", 0).put("finish_reason", stop(reply)).putObject("delta");
      event(out, null, json(last), reply.delayBetweenChunks());
      if (r.json().path("stream_options").path("include_usage").asBoolean(false)) {
        ObjectNode u = chunk(id, model);
        u.putArray("choices");
        u.putObject("usage").put("prompt_tokens", reply.inputTokens()).put("completion_tokens", reply.outputTokens())
            .put("total_tokens", reply.inputTokens() + reply.outputTokens());
        event(out, null, json(u), reply.delayBetweenChunks());
      }
      event(out, null, "[DONE]", reply.delayBetweenChunks());
    }
  }

  private static ObjectNode chunk(String id, String model) {
    ObjectNode c = JSON.createObjectNode();
    c.put("id", id).put("object", "chat.completion.chunk").put("created", 1_700_000_000L).put("model", model);
    return c;
  }
}
