package dev.warden.agent.model.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.agent.model.ChatMessage;
import dev.warden.agent.model.ChatRequest;
import dev.warden.agent.model.ChatResponse;
import dev.warden.agent.model.ModelException;
import dev.warden.agent.model.ModelProvider;
import dev.warden.agent.model.ProviderSettings;
import dev.warden.agent.model.StreamListener;
import dev.warden.agent.model.ToolCall;
import dev.warden.agent.model.ToolSpec;
import dev.warden.agent.model.Usage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Anthropic Messages protocol ({@code POST /v1/messages}).
 *
 * <p>Design notes. Mapping: system messages become the top-level {@code system} text; an assistant
 * turn's tool calls become {@code tool_use} blocks; tool results become {@code tool_result} blocks in
 * a user turn; consecutive messages of the same role merge into one turn, because the API requires
 * user and assistant turns to alternate. Streaming: {@code message_start} carries input usage,
 * {@code content_block_start} opens a text or {@code tool_use} block, {@code content_block_delta}
 * carries {@code text_delta} or {@code input_json_delta} fragments of the tool input's JSON, {@code
 * message_delta} the stop reason and output usage, {@code message_stop} ends; an {@code error}
 * event fails the call (retryable when overloaded or rate limited). A stream that ends without
 * {@code message_stop} is truncated and fails as retryable.
 */
public final class AnthropicProvider implements ModelProvider {

  /** The API version this client speaks (sent as {@code anthropic-version}). */
  public static final String API_VERSION = "2023-06-01";

  private final String name;
  private final String model;
  private final URI uri;
  private final String keyName;
  private final boolean keyRequired;
  private final ProviderSettings settings;
  private final HttpCaller http;

  public AnthropicProvider(String name, String model, URI uri, String keyName, boolean keyRequired,
      ProviderSettings settings) {
    this.name = name;
    this.model = model;
    this.uri = uri;
    this.keyName = keyName;
    this.keyRequired = keyRequired;
    this.settings = settings;
    this.http = new HttpCaller(name, settings, keyName);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ChatResponse chat(ChatRequest request, StreamListener listener) throws ModelException {
    boolean streaming = listener != StreamListener.NONE;
    String key = keyRequired ? ApiKeys.require(settings, keyName, name) : ApiKeys.lookupOrNull(settings, keyName, name);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("anthropic-version", API_VERSION);
    if (key != null) {
      headers.put("x-api-key", key);
    }
    String body = Json.write(requestBody(request, streaming));
    try (HttpCaller.Body b = http.post(uri, headers, body, streaming, key)) {
      if (streaming && b.contentType().toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
        // Some servers ignore "stream": true and answer whole; accept that and deliver the text once.
        ChatResponse whole = readWhole(b);
        Listeners.safe(listener).onTextDelta(whole.text());
        return whole;
      }
      return streaming ? readStream(b, Listeners.safe(listener)) : readWhole(b);
    }
  }

  ObjectNode requestBody(ChatRequest request, boolean streaming) {
    ObjectNode root = Json.object();
    root.put("model", model);
    root.put("max_tokens", request.maxOutputTokens());
    List<String> system = new ArrayList<>();
    ArrayNode messages = Json.MAPPER.createArrayNode();
    ObjectNode current = null;
    for (ChatMessage m : request.messages()) {
      if (m.role() == dev.warden.agent.model.Role.SYSTEM) {
        if (!m.content().isEmpty()) {
          system.add(m.content());
        }
        continue;
      }
      String role = m.role() == dev.warden.agent.model.Role.ASSISTANT ? "assistant" : "user";
      ArrayNode blocks = Json.MAPPER.createArrayNode();
      switch (m.role()) {
        case USER -> addText(blocks, m.content());
        case TOOL -> {
          ObjectNode r = blocks.addObject().put("type", "tool_result").put("tool_use_id", toolId(m.toolCallIdOrNull()));
          if (!m.content().isEmpty()) {
            r.put("content", m.content());
          }
        }
        case ASSISTANT -> {
          addText(blocks, m.content());
          for (ToolCall c : m.toolCalls()) {
            blocks.addObject().put("type", "tool_use").put("id", toolId(c.id())).put("name", c.name())
                .set("input", Json.MAPPER.valueToTree(c.arguments()));
          }
        }
        default -> throw new IllegalStateException("unreachable: " + m.role());
      }
      if (blocks.isEmpty()) {
        continue;
      }
      if (current != null && current.path("role").asText().equals(role)) {
        ((ArrayNode) current.get("content")).addAll(blocks);
      } else {
        current = messages.addObject().put("role", role);
        current.set("content", blocks);
      }
    }
    if (!system.isEmpty()) {
      root.put("system", String.join("\n\n", system));
    }
    root.set("messages", messages);
    if (!request.tools().isEmpty()) {
      ArrayNode tools = root.putArray("tools");
      for (ToolSpec t : request.tools()) {
        tools.addObject().put("name", t.name()).put("description", t.description())
            .set("input_schema", Json.MAPPER.valueToTree(t.parametersJsonSchema()));
      }
    }
    if (streaming) {
      root.put("stream", true);
    }
    return root;
  }

  /**
   * The API accepts only {@code [A-Za-z0-9_-]} in tool ids; ids minted by another provider (after a
   * failover) are mapped the same way on the call and on its result, so they still pair up.
   */
  static String toolId(String id) {
    return id.replaceAll("[^A-Za-z0-9_-]", "_");
  }

  private static void addText(ArrayNode blocks, String text) {
    // The API rejects empty text blocks.
    if (!text.isEmpty()) {
      blocks.addObject().put("type", "text").put("text", text);
    }
  }

  private ChatResponse readWhole(HttpCaller.Body b) throws ModelException {
    JsonNode root;
    try {
      root = Json.parse(new String(b.stream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw http.malformed(uri, "the body is not JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw http.readFailure(uri, e);
    }
    if (root.path("type").asText().equals("error")) {
      throw errorEvent(root);
    }
    JsonNode content = root.path("content");
    if (!content.isArray()) {
      throw http.malformed(uri, "no content array in the response");
    }
    StringBuilder text = new StringBuilder();
    ToolCallAssembler calls = new ToolCallAssembler("toolu_", http, uri);
    for (int i = 0; i < content.size(); i++) {
      JsonNode block = content.get(i);
      switch (block.path("type").asText()) {
        case "text" -> text.append(block.path("text").asText(""));
        case "tool_use" -> {
          calls.id(i, block.path("id").asText(null));
          calls.name(i, block.path("name").asText(null));
          JsonNode input = block.path("input");
          if (!input.isMissingNode() && !input.isNull() && !input.isObject()) {
            throw http.malformed(uri, "tool_use block " + i + " has an input that is not an object");
          }
          calls.initialArguments(i, input.isObject() ? Json.toMap(input) : new LinkedHashMap<>());
        }
        default -> {
          // thinking and other blocks carry nothing the agent loop uses.
        }
      }
    }
    return new ChatResponse(text.toString(), calls.build(), usage(root.path("usage"), 0),
        root.path("stop_reason").isTextual() ? root.path("stop_reason").asText() : "unknown");
  }

  private ChatResponse readStream(HttpCaller.Body b, StreamListener listener) throws ModelException {
    SseReader sse = new SseReader(b.stream());
    StringBuilder text = new StringBuilder();
    ToolCallAssembler calls = new ToolCallAssembler("toolu_", http, uri);
    Map<Integer, String> blockTypes = new HashMap<>();
    int inputTokens = 0;
    int outputTokens = 0;
    String stop = "unknown";
    boolean stopped = false;
    try {
      SseReader.Event e;
      while ((e = sse.next()) != null) {
        if (e.data().isBlank()) {
          continue;
        }
        JsonNode ev;
        try {
          ev = Json.parse(e.data());
        } catch (JsonProcessingException ex) {
          throw http.malformed(uri, "a stream event is not JSON: " + HttpCaller.excerpt(e.data(), null));
        }
        String type = ev.path("type").asText(e.type());
        switch (type) {
          case "message_start" -> {
            Usage u = usage(ev.path("message").path("usage"), 0);
            inputTokens = u.inputTokens();
            outputTokens = u.outputTokens();
          }
          case "content_block_start" -> {
            int index = ev.path("index").asInt(-1);
            JsonNode block = ev.path("content_block");
            String blockType = block.path("type").asText();
            blockTypes.put(index, blockType);
            if (blockType.equals("tool_use")) {
              calls.id(index, block.path("id").asText(null));
              calls.name(index, block.path("name").asText(null));
              if (block.path("input").isObject() && !block.path("input").isEmpty()) {
                calls.initialArguments(index, Json.toMap(block.path("input")));
              }
            } else if (blockType.equals("text") && !block.path("text").asText("").isEmpty()) {
              text.append(block.path("text").asText());
              listener.onTextDelta(block.path("text").asText());
            }
          }
          case "content_block_delta" -> {
            int index = ev.path("index").asInt(-1);
            JsonNode delta = ev.path("delta");
            switch (delta.path("type").asText()) {
              case "text_delta" -> {
                String t = delta.path("text").asText("");
                text.append(t);
                listener.onTextDelta(t);
              }
              case "input_json_delta" -> {
                if (!"tool_use".equals(blockTypes.get(index))) {
                  throw http.malformed(uri, "input_json_delta for block " + index + ", which is not a tool_use block");
                }
                calls.argumentsFragment(index, delta.path("partial_json").asText(""));
              }
              default -> {
                // thinking_delta, signature_delta: not used by the agent loop.
              }
            }
          }
          case "message_delta" -> {
            if (ev.path("delta").path("stop_reason").isTextual()) {
              stop = ev.path("delta").path("stop_reason").asText();
            }
            JsonNode u = ev.path("usage");
            if (u.path("output_tokens").canConvertToInt()) {
              outputTokens = Math.max(0, u.path("output_tokens").asInt());
            }
            if (u.path("input_tokens").canConvertToInt() && u.path("input_tokens").asInt() > 0) {
              inputTokens = usage(u, 0).inputTokens();
            }
          }
          case "message_stop" -> stopped = true;
          case "error" -> throw errorEvent(ev);
          default -> {
            // ping, content_block_stop and future event types.
          }
        }
        if (stopped) {
          break;
        }
      }
    } catch (IOException ex) {
      throw http.readFailure(uri, ex);
    }
    if (!stopped) {
      throw new ModelException(http.where(uri) + " failed: the stream ended before message_stop after "
          + b.stream().count() + " bytes.", true, -1, null);
    }
    return new ChatResponse(text.toString(), calls.build(), new Usage(inputTokens, outputTokens), stop);
  }

  private ModelException errorEvent(JsonNode ev) {
    String type = ev.path("error").path("type").asText("unknown_error");
    String message = ev.path("error").path("message").asText("");
    boolean retryable = switch (type) {
      case "overloaded_error", "api_error", "rate_limit_error", "timeout_error" -> true;
      default -> false;
    };
    return new ModelException(http.where(uri) + " reported " + type + ": " + HttpCaller.excerpt(message, null),
        retryable, -1, null);
  }

  private static Usage usage(JsonNode u, int fallback) {
    if (!u.isObject()) {
      return new Usage(fallback, 0);
    }
    // Cached prompt tokens are input too; budgets count them.
    long in = Math.max(0, u.path("input_tokens").asLong(0)) + Math.max(0, u.path("cache_creation_input_tokens").asLong(0))
        + Math.max(0, u.path("cache_read_input_tokens").asLong(0));
    return new Usage((int) Math.min(Integer.MAX_VALUE, in), Math.max(0, u.path("output_tokens").asInt(0)));
  }

  /** For tests: the JSON body this provider would send. */
  public String requestJson(ChatRequest request, boolean streaming) {
    return Json.write(requestBody(request, streaming));
  }
}
