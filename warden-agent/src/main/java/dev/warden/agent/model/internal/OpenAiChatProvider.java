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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OpenAI Chat Completions protocol ({@code POST …/chat/completions}), as spoken by OpenAI,
 * Azure OpenAI, Ollama, vLLM and llama.cpp's server.
 *
 * <p>Design notes. Streaming: with {@code stream: true} the server sends SSE chunks whose {@code
 * choices[0].delta} carries text in {@code content} and tool calls in {@code tool_calls[]}, each
 * fragment keyed by {@code index}, the arguments' JSON text arriving in pieces; {@code
 * stream_options.include_usage} asks for a final chunk with usage; {@code data: [DONE]} ends the
 * stream. A stream that ends with neither {@code [DONE]} nor a finish reason is truncated and
 * fails as retryable. Failure and limits: see {@link HttpCaller} and {@link Limits}.
 */
public final class OpenAiChatProvider implements ModelProvider {

  /** How the key travels and how the endpoint is shaped. */
  public enum Flavor {
    /** {@code Authorization: Bearer KEY}; the model is named in the body. */
    OPENAI,
    /** {@code api-key: KEY}; the deployment is named in the path, not the body. */
    AZURE
  }

  private final String name;
  private final Flavor flavor;
  private final String modelOrNull;
  private final URI uri;
  private final String keyName;
  private final boolean keyRequired;
  private final boolean maxCompletionTokens;
  private final ProviderSettings settings;
  private final HttpCaller http;

  /**
   * @param modelOrNull the model for the body; null for Azure, whose path names the deployment
   * @param uri the full chat completions URL
   * @param keyRequired false for loopback servers, which usually need none
   * @param maxCompletionTokens send {@code max_completion_tokens} (OpenAI's own API, which requires
   *     it for reasoning models) rather than {@code max_tokens} (what compatible servers know)
   */
  public OpenAiChatProvider(String name, Flavor flavor, String modelOrNull, URI uri, String keyName,
      boolean keyRequired, boolean maxCompletionTokens, ProviderSettings settings) {
    this.name = name;
    this.flavor = flavor;
    this.modelOrNull = modelOrNull;
    this.uri = uri;
    this.keyName = keyName;
    this.keyRequired = keyRequired;
    this.maxCompletionTokens = maxCompletionTokens;
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
    if (key != null) {
      if (flavor == Flavor.AZURE) {
        headers.put("api-key", key);
      } else {
        headers.put("authorization", "Bearer " + key);
      }
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
    if (modelOrNull != null) {
      root.put("model", modelOrNull);
    }
    ArrayNode messages = root.putArray("messages");
    for (ChatMessage m : request.messages()) {
      ObjectNode o = messages.addObject();
      switch (m.role()) {
        case SYSTEM -> o.put("role", "system").put("content", m.content());
        case USER -> o.put("role", "user").put("content", m.content());
        case TOOL -> o.put("role", "tool").put("tool_call_id", m.toolCallIdOrNull()).put("content", m.content());
        case ASSISTANT -> {
          o.put("role", "assistant");
          if (m.content().isEmpty() && !m.toolCalls().isEmpty()) {
            o.putNull("content");
          } else {
            o.put("content", m.content());
          }
          if (!m.toolCalls().isEmpty()) {
            ArrayNode calls = o.putArray("tool_calls");
            for (ToolCall c : m.toolCalls()) {
              ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
              call.putObject("function").put("name", c.name()).put("arguments", Json.write(c.arguments()));
            }
          }
        }
      }
    }
    if (!request.tools().isEmpty()) {
      ArrayNode tools = root.putArray("tools");
      for (ToolSpec t : request.tools()) {
        ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
        fn.put("name", t.name()).put("description", t.description());
        fn.set("parameters", Json.MAPPER.valueToTree(t.parametersJsonSchema()));
      }
    }
    root.put(maxCompletionTokens ? "max_completion_tokens" : "max_tokens", request.maxOutputTokens());
    if (streaming) {
      root.put("stream", true);
      root.putObject("stream_options").put("include_usage", true);
    }
    return root;
  }

  private ChatResponse readWhole(HttpCaller.Body b) throws ModelException {
    JsonNode root;
    try {
      byte[] bytes = b.stream().readAllBytes();
      root = Json.parse(new String(bytes, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw http.malformed(uri, "the body is not JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw http.readFailure(uri, e);
    }
    failOnError(root);
    JsonNode choice = root.path("choices").path(0);
    if (!choice.isObject()) {
      throw http.malformed(uri, "no choices[0] in the response");
    }
    JsonNode message = choice.path("message");
    String text = message.path("content").isTextual() ? message.path("content").asText() : "";
    ToolCallAssembler calls = new ToolCallAssembler("call_", http, uri);
    JsonNode tc = message.path("tool_calls");
    if (tc.isArray()) {
      for (int i = 0; i < tc.size(); i++) {
        JsonNode c = tc.get(i);
        calls.id(i, c.path("id").asText(null));
        calls.name(i, c.path("function").path("name").asText(null));
        JsonNode args = c.path("function").path("arguments");
        if (args.isObject()) {
          calls.initialArguments(i, Json.toMap(args));
        } else {
          calls.argumentsFragment(i, args.asText(""));
        }
      }
    }
    return new ChatResponse(text, calls.build(), usage(root.path("usage")), stopReason(choice.path("finish_reason")));
  }

  private ChatResponse readStream(HttpCaller.Body b, StreamListener listener) throws ModelException {
    SseReader sse = new SseReader(b.stream());
    StringBuilder text = new StringBuilder();
    ToolCallAssembler calls = new ToolCallAssembler("call_", http, uri);
    Usage usage = Usage.NONE;
    String finish = null;
    boolean done = false;
    try {
      SseReader.Event e;
      while ((e = sse.next()) != null) {
        String data = e.data().strip();
        if (data.equals("[DONE]")) {
          done = true;
          break;
        }
        if (data.isEmpty()) {
          continue;
        }
        JsonNode chunk;
        try {
          chunk = Json.parse(data);
        } catch (JsonProcessingException ex) {
          throw http.malformed(uri, "a stream chunk is not JSON: " + HttpCaller.excerpt(data, null));
        }
        failOnError(chunk);
        if (chunk.path("usage").isObject()) {
          usage = usage(chunk.path("usage"));
        }
        JsonNode choice = chunk.path("choices").path(0);
        if (!choice.isObject()) {
          continue;
        }
        JsonNode delta = choice.path("delta");
        JsonNode content = delta.path("content");
        if (content.isTextual() && !content.asText().isEmpty()) {
          text.append(content.asText());
          listener.onTextDelta(content.asText());
        }
        JsonNode tcs = delta.path("tool_calls");
        if (tcs.isArray()) {
          for (JsonNode tc : tcs) {
            int index;
            if (tc.path("index").canConvertToInt()) {
              index = tc.path("index").asInt();
            } else if (tc.hasNonNull("id") || calls.size() == 0) {
              // Servers that omit the index start a new call with each id.
              index = calls.size();
            } else {
              index = calls.lastIndex();
            }
            calls.id(index, tc.path("id").asText(null));
            calls.name(index, tc.path("function").path("name").asText(null));
            JsonNode args = tc.path("function").path("arguments");
            if (args.isObject()) {
              calls.initialArguments(index, Json.toMap(args));
            } else if (args.isTextual()) {
              calls.argumentsFragment(index, args.asText());
            }
          }
        }
        if (choice.hasNonNull("finish_reason")) {
          finish = choice.path("finish_reason").asText();
        }
      }
    } catch (IOException ex) {
      // A server that sent the finish reason but then neither [DONE] nor EOF has given the whole reply.
      if (finish == null || ex instanceof GuardedInputStream.TooLargeIo || ex instanceof SseReader.EventTooLargeIo) {
        throw http.readFailure(uri, ex);
      }
    }
    if (!done && finish == null) {
      throw new ModelException(http.where(uri) + " failed: the stream ended before the reply was complete (no"
          + " finish reason and no [DONE]) after " + b.stream().count() + " bytes.", true, -1, null);
    }
    return new ChatResponse(text.toString(), calls.build(), usage, finish == null ? "unknown" : finish);
  }

  private void failOnError(JsonNode root) throws ModelException {
    JsonNode err = root.path("error");
    if (err.isMissingNode() || err.isNull()) {
      return;
    }
    String message = err.isObject() ? err.path("message").asText(err.toString()) : err.asText();
    String type = err.path("type").asText("");
    boolean retryable = type.contains("server") || type.contains("overloaded") || type.contains("rate")
        || err.path("code").asInt(0) >= 500;
    throw new ModelException(http.where(uri) + " reported an error in a 2xx response: "
        + HttpCaller.excerpt(message, null) + (type.isEmpty() ? "" : " (" + type + ")"), retryable, -1, null);
  }

  private static Usage usage(JsonNode u) {
    if (!u.isObject()) {
      return Usage.NONE;
    }
    return new Usage(Math.max(0, u.path("prompt_tokens").asInt(0)), Math.max(0, u.path("completion_tokens").asInt(0)));
  }

  private static String stopReason(JsonNode n) {
    return n.isTextual() && !n.asText().isEmpty() ? n.asText() : "unknown";
  }

  /** For tests: the JSON body this provider would send. */
  public String requestJson(ChatRequest request, boolean streaming) {
    return Json.write(requestBody(request, streaming));
  }
}
