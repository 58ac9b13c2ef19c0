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
 * A fake Anthropic Messages server ({@code POST /v1/messages}).
 *
 * <p>Checks what the real API rejects with 400: no {@code anthropic-version} header, no {@code
 * model} or {@code max_tokens}, an empty {@code messages}, turns that do not alternate starting with
 * {@code user}, a system role inside {@code messages}, empty text blocks, and a {@code tool_result}
 * whose {@code tool_use_id} answers no {@code tool_use} of the preceding assistant turn. Streaming
 * follows the real event sequence: {@code message_start}, per block {@code content_block_start},
 * {@code content_block_delta} ({@code text_delta} or {@code input_json_delta}), {@code
 * content_block_stop}, then {@code message_delta} (stop reason, output usage) and {@code
 * message_stop}, with a {@code ping} after the start.
 */
public final class FakeAnthropicServer extends FakeLlmServer {

  private final AtomicInteger ids = new AtomicInteger();

  private FakeAnthropicServer() {}

  /** Starts a server on 127.0.0.1 and a free port. */
  public static FakeAnthropicServer start() {
    FakeAnthropicServer s = new FakeAnthropicServer();
    s.serve();
    return s;
  }

  /** {@code http://127.0.0.1:PORT}, for {@code anthropic:MODEL@BASE_URL}. */
  @Override
  public String baseUrl() {
    return origin().toString();
  }

  @Override
  public FakeAnthropicServer enqueue(FakeResponse... responses) {
    super.enqueue(responses);
    return this;
  }

  @Override
  public FakeAnthropicServer requireApiKey(String key) {
    super.requireApiKey(key);
    return this;
  }

  /** The body of a real Anthropic error, e.g. type {@code overloaded_error}. */
  public static String errorBody(String type, String message) {
    ObjectNode root = JSON.createObjectNode().put("type", "error");
    root.putObject("error").put("type", type).put("message", message);
    return json(root);
  }

  @Override
  protected boolean hasKey(RecordedRequest r, String key) {
    return key.equals(r.header("x-api-key"));
  }

  @Override
  protected String unauthorisedBody() {
    return errorBody("authentication_error", "invalid x-api-key");
  }

  @Override
  protected String badRequestBody(String message) {
    return errorBody("invalid_request_error", message);
  }

  @Override
  protected String validate(RecordedRequest r) {
    if (!r.method().equals("POST") || !r.path().equals("/v1/messages")) {
      return "unknown endpoint " + r.method() + " " + r.path();
    }
    if (r.header("anthropic-version") == null) {
      return "anthropic-version: header is required";
    }
    JsonNode j = r.jsonOrNull();
    if (j == null || !j.isObject()) {
      return "the body is not a JSON object";
    }
    if (!j.path("model").isTextual()) {
      return "model: Field required";
    }
    if (!j.path("max_tokens").canConvertToInt() || j.path("max_tokens").asInt() < 1) {
      return "max_tokens: Field required";
    }
    if (j.has("system") && !j.path("system").isTextual() && !j.path("system").isArray()) {
      return "system: must be a string or a list of text blocks";
    }
    JsonNode messages = j.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      return "messages: at least one message is required";
    }
    String expected = "user";
    Set<String> open = new HashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String role = m.path("role").asText();
      if (!role.equals(expected)) {
        return "messages." + i + ".role: roles must alternate between \"user\" and \"assistant\", starting with"
            + " user; got " + role;
      }
      JsonNode content = m.path("content");
      if (content.isTextual()) {
        if (content.asText().isEmpty()) {
          return "messages." + i + ".content: text content blocks must be non-empty";
        }
      } else if (content.isArray() && !content.isEmpty()) {
        Set<String> next = new HashSet<>();
        for (JsonNode b : content) {
          switch (b.path("type").asText()) {
            case "text" -> {
              if (b.path("text").asText("").isEmpty()) {
                return "messages." + i + ": text content blocks must be non-empty";
              }
            }
            case "tool_use" -> {
              if (!role.equals("assistant") || !b.path("input").isObject() || !b.path("id").isTextual()) {
                return "messages." + i + ": tool_use blocks belong in assistant turns, with an id and an object input";
              }
              if (!b.path("id").asText().matches("[a-zA-Z0-9_-]+")) {
                return "messages." + i + ": tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'";
              }
              next.add(b.path("id").asText());
            }
            case "tool_result" -> {
              if (!role.equals("user") || !open.contains(b.path("tool_use_id").asText())) {
                return "messages." + i + ": unexpected `tool_use_id` found in `tool_result` blocks: "
                    + b.path("tool_use_id").asText() + ". Each `tool_result` block must have a corresponding"
                    + " `tool_use` block in the previous message.";
              }
            }
            default -> {
              return "messages." + i + ": unknown content block type " + b.path("type").asText();
            }
          }
        }
        open = next;
      } else {
        return "messages." + i + ".content: must be a non-empty string or list";
      }
      expected = role.equals("user") ? "assistant" : "user";
    }
    return null;
  }

  private static String stop(FakeResponse.Reply reply) {
    if (reply.stopReasonOrNull() != null) {
      return reply.stopReasonOrNull();
    }
    return reply.toolCalls().isEmpty() ? "end_turn" : "tool_use";
  }

  @Override
  protected void writeJson(HttpExchange ex, RecordedRequest r, FakeResponse.Reply reply) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "msg_fake_" + ids.incrementAndGet()).put("type", "message").put("role", "assistant")
        .put("model", r.json().path("model").asText());
    ArrayNode content = root.putArray("content");
    if (!reply.text().isEmpty()) {
      content.addObject().put("type", "text").put("text", reply.text());
    }
    for (FakeToolCall c : reply.toolCalls()) {
      ObjectNode b = content.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name());
      b.set("input", parseOrText(c.argumentsJson()));
    }
    root.put("stop_reason", stop(reply)).putNull("stop_sequence");
    root.putObject("usage").put("input_tokens", reply.inputTokens()).put("output_tokens", reply.outputTokens());
    send(ex, 200, "application/json", json(root));
  }

  private static JsonNode parseOrText(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(s);
    }
  }

  @Override
  protected void writeStream(HttpExchange ex, RecordedRequest r, FakeResponse.Reply reply) throws IOException {
    var pause = reply.delayBetweenChunks();
    try (OutputStream out = startSse(ex)) {
      ObjectNode start = JSON.createObjectNode().put("type", "message_start");
      ObjectNode msg = start.putObject("message").put("id", "msg_fake_" + ids.incrementAndGet()).put("type", "message")
          .put("role", "assistant").put("model", r.json().path("model").asText());
      msg.putArray("content");
      msg.putNull("stop_reason").putNull("stop_sequence");
      msg.putObject("usage").put("input_tokens", reply.inputTokens()).put("output_tokens", 1);
      event(out, "message_start", json(start), pause);
      event(out, "ping", "{\"type\": \"ping\"}", pause);
      int index = 0;
      if (!reply.text().isEmpty()) {
        ObjectNode bs = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
        bs.putObject("content_block").put("type", "text").put("text", "");
        event(out, "content_block_start", json(bs), pause);
        for (String piece : pieces(reply.text(), reply.chunkChars())) {
          ObjectNode d = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
          d.putObject("delta").put("type", "text_delta").put("text", piece);
          event(out, "content_block_delta", json(d), pause);
        }
        event(out, "content_block_stop", json(JSON.createObjectNode().put("type", "content_block_stop")
            .put("index", index)), pause);
        index++;
      }
      for (FakeToolCall c : reply.toolCalls()) {
        ObjectNode bs = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
        ObjectNode block = bs.putObject("content_block").put("type", "tool_use").put("id", c.id()).put("name", c.name());
        block.putObject("input");
        event(out, "content_block_start", json(bs), pause);
        for (String piece : pieces(c.argumentsJson(), reply.chunkChars())) {
          ObjectNode d = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
          d.putObject("delta").put("type", "input_json_delta").put("partial_json", piece);
          event(out, "content_block_delta", json(d), pause);
        }
        event(out, "content_block_stop", json(JSON.createObjectNode().put("type", "content_block_stop")
            .put("index", index)), pause);
        index++;
      }
      ObjectNode md = JSON.createObjectNode().put("type", "message_delta");
      md.putObject("delta").put("stop_reason", stop(reply)).putNull("stop_sequence");
      md.putObject("usage").put("output_tokens", reply.outputTokens());
      event(out, "message_delta", json(md), pause);
      event(out, "message_stop", "{\"type\":\"message_stop\"}", pause);
    }
  }
}
