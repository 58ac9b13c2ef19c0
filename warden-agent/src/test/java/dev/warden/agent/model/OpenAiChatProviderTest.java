package dev.warden.agent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.agent.model.internal.Limits;
import dev.warden.agent.model.internal.OpenAiChatProvider;
import dev.warden.testing.llm.FakeOpenAiServer;
import dev.warden.testing.llm.FakeResponse;
import dev.warden.testing.llm.FakeToolCall;
import dev.warden.testing.llm.RecordedRequest;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiChatProviderTest {

  private static final String KEY = "sk-test-0123456789abcdef";

  private final FakeOpenAiServer server = FakeOpenAiServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private static ProviderSettings withKey() {
    return ProviderSettings.defaults().withApiKeyLookup(name -> name.equals("openai") ? KEY : null);
  }

  private ModelProvider provider(ProviderSettings settings) throws ModelException {
    return ModelProviders.create("openai:gpt-test@" + server.baseUrl(), settings);
  }

  private static ChatRequest request(String text) {
    return new ChatRequest(List.of(ChatMessage.user(text)), List.of(), 256);
  }

  private static final ToolSpec READ_FILE = new ToolSpec("read_file", "Reads a workspace file",
      Map.of("type", "object", "properties", Map.of("path", Map.of("type", "string")), "required", List.of("path")));

  @Test
  void nonStreaming_textReply_parsesTextUsageAndStop() throws Exception {
    server.enqueue(FakeResponse.text("Hello there").withUsage(42, 7));
    ChatResponse r = provider(withKey()).chat(request("hi"), StreamListener.NONE);
    assertThat(r.text()).isEqualTo("Hello there");
    assertThat(r.toolCalls()).isEmpty();
    assertThat(r.usage()).isEqualTo(new Usage(42, 7));
    assertThat(r.stopReason()).isEqualTo("stop");
    assertThat(server.lastRequest().json().has("stream")).isFalse();
  }

  @Test
  void streaming_textDeltasReachListener_andConcatenateToText() throws Exception {
    server.enqueue(FakeResponse.text("The quick brown fox jumps").withChunkChars(3).withUsage(11, 6));
    List<String> deltas = new ArrayList<>();
    ChatResponse r = provider(withKey()).chat(request("hi"), deltas::add);
    assertThat(deltas).hasSizeGreaterThan(5);
    assertThat(String.join("", deltas)).isEqualTo("The quick brown fox jumps");
    assertThat(r.text()).isEqualTo("The quick brown fox jumps");
    assertThat(r.usage()).isEqualTo(new Usage(11, 6));
    assertThat(r.stopReason()).isEqualTo("stop");
    assertThat(server.lastRequest().json().path("stream").asBoolean()).isTrue();
    assertThat(server.lastRequest().json().path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(server.lastRequest().header("accept")).isEqualTo("text/event-stream");
  }

  @Test
  void streaming_toolCallArgumentFragments_areAssembledPerIndex() throws Exception {
    server.enqueue(FakeResponse.textAndToolCalls("Let me look.",
        new FakeToolCall("call_a", "read_file", "{\"path\": \"notes/today.md\", \"lines\": [1, 2, 3]}"),
        new FakeToolCall("call_b", "list_files", "{}")).withChunkChars(2));
    List<String> deltas = new ArrayList<>();
    ChatResponse r = provider(withKey()).chat(new ChatRequest(List.of(ChatMessage.user("x")), List.of(READ_FILE), 100),
        deltas::add);
    assertThat(String.join("", deltas)).isEqualTo("Let me look.");
    assertThat(r.stopReason()).isEqualTo("tool_calls");
    assertThat(r.toolCalls()).hasSize(2);
    assertThat(r.toolCalls().get(0)).isEqualTo(new ToolCall("call_a", "read_file",
        Map.of("path", "notes/today.md", "lines", List.of(1, 2, 3))));
    assertThat(r.toolCalls().get(1)).isEqualTo(new ToolCall("call_b", "list_files", Map.of()));
  }

  @Test
  void nonStreaming_toolCalls_areParsed() throws Exception {
    server.enqueue(FakeResponse.toolCalls(new FakeToolCall("call_1", "read_file", "{\"path\":\"a.md\"}")));
    ChatResponse r = provider(withKey()).chat(new ChatRequest(List.of(ChatMessage.user("x")), List.of(READ_FILE), 100),
        StreamListener.NONE);
    assertThat(r.text()).isEmpty();
    assertThat(r.toolCalls()).containsExactly(new ToolCall("call_1", "read_file", Map.of("path", "a.md")));
  }

  @Test
  void request_wireFormat_matchesChatCompletions() throws Exception {
    server.enqueue(FakeResponse.text("ok"));
    ProviderSettings s = withKey().withExtraHeaders(Map.of("X-Route", "blue", "Content-Type", "text/plain"));
    ToolCall call = new ToolCall("call_9", "read_file", Map.of("path", "a.md"));
    ChatRequest req = new ChatRequest(List.of(
        ChatMessage.system("You are Warden."),
        ChatMessage.user("read a.md"),
        ChatMessage.assistant("", List.of(call)),
        ChatMessage.tool("call_9", "contents of a"),
        ChatMessage.assistant("It says: contents of a"),
        ChatMessage.user("thanks")), List.of(READ_FILE), 321);
    provider(s).chat(req, StreamListener.NONE);

    RecordedRequest r = server.lastRequest();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/v1/chat/completions");
    assertThat(r.header("authorization")).isEqualTo("Bearer " + KEY);
    assertThat(r.headers().get("content-type")).containsExactly("application/json");
    assertThat(r.header("x-route")).isEqualTo("blue");
    JsonNode j = r.json();
    assertThat(j.path("model").asText()).isEqualTo("gpt-test");
    assertThat(j.path("max_tokens").asInt()).isEqualTo(321);
    assertThat(j.has("max_completion_tokens")).isFalse();
    JsonNode m = j.path("messages");
    assertThat(m.size()).isEqualTo(6);
    assertThat(m.path(0).path("role").asText()).isEqualTo("system");
    assertThat(m.path(2).path("role").asText()).isEqualTo("assistant");
    assertThat(m.path(2).path("content").isNull()).isTrue();
    assertThat(m.path(2).path("tool_calls").path(0).path("id").asText()).isEqualTo("call_9");
    assertThat(m.path(2).path("tool_calls").path(0).path("type").asText()).isEqualTo("function");
    assertThat(m.path(2).path("tool_calls").path(0).path("function").path("arguments").asText())
        .isEqualTo("{\"path\":\"a.md\"}");
    assertThat(m.path(3).path("role").asText()).isEqualTo("tool");
    assertThat(m.path(3).path("tool_call_id").asText()).isEqualTo("call_9");
    assertThat(m.path(3).path("content").asText()).isEqualTo("contents of a");
    JsonNode tool = j.path("tools").path(0);
    assertThat(tool.path("type").asText()).isEqualTo("function");
    assertThat(tool.path("function").path("name").asText()).isEqualTo("read_file");
    assertThat(tool.path("function").path("parameters").path("required").path(0).asText()).isEqualTo("path");
  }

  @Test
  void officialOpenAi_usesMaxCompletionTokens() {
    OpenAiChatProvider p = new OpenAiChatProvider("openai:x", OpenAiChatProvider.Flavor.OPENAI, "x",
        URI.create("https://api.openai.com/v1/chat/completions"), "openai", true, true, ProviderSettings.defaults());
    String json = p.requestJson(request("hi"), false);
    assertThat(json).contains("\"max_completion_tokens\":256").doesNotContain("\"max_tokens\"");
  }

  @Test
  void azure_usesDeploymentPath_apiVersion_andApiKeyHeader() throws Exception {
    server.requireApiKey("az-key").enqueue(FakeResponse.text("from azure"));
    ProviderSettings s = ProviderSettings.defaults().withApiKeyLookup(n -> n.equals("azure") ? "az-key" : null);
    ModelProvider p = ModelProviders.create("azure:my-gpt4o@" + server.azureUrl("2024-10-21"), s);
    ChatResponse r = p.chat(request("hi"), new ArrayList<String>()::add);
    assertThat(r.text()).isEqualTo("from azure");
    RecordedRequest rec = server.lastRequest();
    assertThat(rec.path()).isEqualTo("/openai/deployments/my-gpt4o/chat/completions");
    assertThat(rec.queryOrNull()).isEqualTo("api-version=2024-10-21");
    assertThat(rec.header("api-key")).isEqualTo("az-key");
    assertThat(rec.header("authorization")).isNull();
    assertThat(rec.json().has("model")).isFalse();
  }

  @Test
  void loopbackWithoutKey_sendsNoAuthorization() throws Exception {
    server.enqueue(FakeResponse.text("local"));
    ChatResponse r = provider(ProviderSettings.defaults()).chat(request("hi"), StreamListener.NONE);
    assertThat(r.text()).isEqualTo("local");
    assertThat(server.lastRequest().header("authorization")).isNull();
  }

  @Test
  void http401_isNotRetryable_namesUrlAndKeyName_butNeverTheKey() throws Exception {
    server.requireApiKey("some-other-key");
    server.enqueue(FakeResponse.text("unused"));
    ModelException e = catchThrowableOfType(ModelException.class,
        () -> provider(withKey()).chat(request("hi"), StreamListener.NONE));
    assertThat(e.retryable()).isFalse();
    assertThat(e.httpStatus()).hasValue(401);
    assertThat(e.getMessage()).contains("openai:gpt-test", server.baseUrl() + "/chat/completions", "HTTP 401",
        "Incorrect API key", "warden secrets add openai").doesNotContain(KEY);
  }

  @Test
  void errorBodyEchoingTheKey_isRedactedInTheMessage() throws Exception {
    server.enqueue(FakeResponse.error(400, FakeOpenAiServer.errorBody("bad key " + KEY + " given", "invalid_request_error")));
    ModelException e = catchThrowableOfType(ModelException.class,
        () -> provider(withKey()).chat(request("hi"), StreamListener.NONE));
    assertThat(e.getMessage()).contains("[redacted]").doesNotContain(KEY);
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void http429and500_areRetryable() throws Exception {
    server.enqueue(FakeResponse.error(429, FakeOpenAiServer.errorBody("Rate limit reached", "requests")),
        FakeResponse.error(500, FakeOpenAiServer.errorBody("boom", "server_error")));
    ModelProvider p = provider(withKey());
    ModelException rate = catchThrowableOfType(ModelException.class, () -> p.chat(request("a"), StreamListener.NONE));
    assertThat(rate.retryable()).isTrue();
    assertThat(rate.httpStatus()).hasValue(429);
    assertThat(rate.getMessage()).contains("Rate limit reached");
    ModelException boom = catchThrowableOfType(ModelException.class, () -> p.chat(request("a"), d -> {}));
    assertThat(boom.retryable()).isTrue();
    assertThat(boom.httpStatus()).hasValue(500);
  }

  @Test
  void http400_isNotRetryable() throws Exception {
    server.enqueue(FakeResponse.error(400, FakeOpenAiServer.errorBody("bad", "invalid_request_error")));
    ModelException e = catchThrowableOfType(ModelException.class,
        () -> provider(withKey()).chat(request("a"), StreamListener.NONE));
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void redirect_isNotFollowed() throws Exception {
    server.enqueue(new FakeResponse.HttpError(302, "", Map.of("location", "http://127.0.0.1:1/elsewhere")));
    ModelException e = catchThrowableOfType(ModelException.class,
        () -> provider(withKey()).chat(request("a"), StreamListener.NONE));
    assertThat(e.httpStatus()).hasValue(302);
    assertThat(e.retryable()).isFalse();
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void connectionRefused_isRetryable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ModelProvider p = ModelProviders.create("openai:m@http://127.0.0.1:" + port + "/v1", ProviderSettings.defaults());
    ModelException e = catchThrowableOfType(ModelException.class, () -> p.chat(request("a"), StreamListener.NONE));
    assertThat(e.retryable()).isTrue();
    assertThat(e.httpStatus()).isEmpty();
    assertThat(e.getMessage()).contains("127.0.0.1:" + port);
  }

  @Test
  void noHeadersWithinTimeout_isRetryableTimeout() throws Exception {
    server.enqueue(FakeResponse.text("late").withDelayBeforeHeaders(Duration.ofSeconds(3)));
    ModelProvider p = provider(withKey().withTimeout(Duration.ofMillis(300)));
    long t0 = System.nanoTime();
    ModelException e = catchThrowableOfType(ModelException.class, () -> p.chat(request("a"), StreamListener.NONE));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("300 ms");
  }

  @Test
  void streamThatGoesSilent_isCutByIdleTimeout() throws Exception {
    server.enqueue(FakeResponse.text("slow stream").withDelayBetweenChunks(Duration.ofSeconds(2)));
    ModelProvider p = provider(withKey().withTimeout(Duration.ofMillis(400)));
    long t0 = System.nanoTime();
    ModelException e = catchThrowableOfType(ModelException.class, () -> p.chat(request("a"), d -> {}));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1900));
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("no data received");
  }

  @Test
  void finishReasonThenSilence_returnsTheCompleteReply() throws Exception {
    // Sent whole, then the connection stays open: the idle timeout ends the read, not the call.
    server.enqueue(FakeResponse.raw(200, "text/event-stream",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"done\"},\"finish_reason\":\"stop\"}]}\n\n")
        .withHoldOpen(Duration.ofSeconds(3)));
    ModelProvider p = provider(withKey().withTimeout(Duration.ofMillis(300)));
    assertThat(p.chat(request("a"), d -> {}).text()).isEqualTo("done");
  }

  @Test
  void truncatedStream_isRetryable() throws Exception {
    server.enqueue(FakeResponse.raw(200, "text/event-stream",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial\"}}]}\n\n"));
    List<String> deltas = new ArrayList<>();
    ModelException e = catchThrowableOfType(ModelException.class, () -> provider(withKey()).chat(request("a"), deltas::add));
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("ended before the reply was complete");
    assertThat(deltas).containsExactly("partial");
  }

  @Test
  void sseWithCrlfCommentsAndNoFinalBlankLine_isParsed() throws Exception {
    server.enqueue(FakeResponse.raw(200, "text/event-stream",
        ": keep-alive\r\n\r\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\r\n\r\n"
            + "id: 7\r\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" you\"},\"finish_reason\":\"stop\"}]}\r\n\r\n"
            + "data: [DONE]"));
    ChatResponse r = provider(withKey()).chat(request("a"), d -> {});
    assertThat(r.text()).isEqualTo("Hi you");
    assertThat(r.stopReason()).isEqualTo("stop");
    assertThat(r.usage()).isEqualTo(Usage.NONE);
  }

  @Test
  void streamedToolCallsWithoutIndex_startANewCallPerId() throws Exception {
    server.enqueue(FakeResponse.raw(200, "text/event-stream",
        "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"id\":\"c1\",\"function\":{\"name\":\"a\",\"arguments\":\"{\\\"x\\\":\"}}]}}]}\n\n"
            + "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"1}\"}}]}}]}\n\n"
            + "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"id\":\"c2\",\"function\":{\"name\":\"b\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}]}\n\n"
            + "data: [DONE]\n\n"));
    ChatResponse r = provider(withKey()).chat(request("a"), d -> {});
    assertThat(r.toolCalls()).containsExactly(new ToolCall("c1", "a", Map.of("x", 1)), new ToolCall("c2", "b", Map.of()));
  }

  @Test
  void streamRequestAnsweredWithWholeJson_isAccepted_andTextDeliveredOnce() throws Exception {
    server.enqueue(FakeResponse.raw(200, "application/json; charset=utf-8",
        "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"whole\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}"));
    List<String> deltas = new ArrayList<>();
    ChatResponse r = provider(withKey()).chat(request("a"), deltas::add);
    assertThat(r.text()).isEqualTo("whole");
    assertThat(deltas).containsExactly("whole");
    assertThat(r.usage()).isEqualTo(new Usage(1, 2));
  }

  @Test
  void malformedChunk_isNotRetryable() throws Exception {
    server.enqueue(FakeResponse.raw(200, "text/event-stream", "data: {not json\n\n"));
    ModelException e = catchThrowableOfType(ModelException.class, () -> provider(withKey()).chat(request("a"), d -> {}));
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("malformed");
  }

  @Test
  void errorObjectInsideStream_failsTheCall() throws Exception {
    server.enqueue(FakeResponse.raw(200, "text/event-stream",
        "data: {\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}\n\n"));
    ModelException e = catchThrowableOfType(ModelException.class, () -> provider(withKey()).chat(request("a"), d -> {}));
    assertThat(e.getMessage()).contains("model overloaded");
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void malformedToolArguments_failWithToolName() throws Exception {
    server.enqueue(FakeResponse.toolCalls(new FakeToolCall("c1", "write_file", "{\"path\": ")));
    assertThatThrownBy(() -> provider(withKey()).chat(request("a"), d -> {}))
        .isInstanceOf(ModelException.class).hasMessageContaining("write_file").hasMessageContaining("not a JSON object");
  }

  @Test
  void nonStreamingBodyOverBound_isRejected() throws Exception {
    server.enqueue(FakeResponse.text("x".repeat(Limits.MAX_RESPONSE_BYTES + 10)));
    ModelException e = catchThrowableOfType(ModelException.class,
        () -> provider(withKey()).chat(request("a"), StreamListener.NONE));
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains(String.valueOf(Limits.MAX_RESPONSE_BYTES));
  }

  @Test
  void sseEventOverBound_isRejected() throws Exception {
    server.enqueue(FakeResponse.raw(200, "text/event-stream",
        "data: {\"choices\":[{\"delta\":{\"content\":\"" + "y".repeat(Limits.MAX_SSE_EVENT_BYTES) + "\"}}]}\n\n"));
    ModelException e = catchThrowableOfType(ModelException.class, () -> provider(withKey()).chat(request("a"), d -> {}));
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("server-sent event");
  }

  @Test
  void notJsonBody_isMalformed() throws Exception {
    server.enqueue(FakeResponse.raw(200, "text/html", "<html>captive portal</html>"));
    ModelException e = catchThrowableOfType(ModelException.class,
        () -> provider(withKey()).chat(request("a"), StreamListener.NONE));
    assertThat(e.getMessage()).contains("not JSON");
  }

  @Test
  void keyLookupIsCalledPerRequest_soRotationTakesEffect() throws Exception {
    String[] current = {"key-1"};
    ProviderSettings s = ProviderSettings.defaults().withApiKeyLookup(n -> current[0]);
    ModelProvider p = provider(s);
    server.enqueue(FakeResponse.text("a"), FakeResponse.text("b"));
    p.chat(request("a"), StreamListener.NONE);
    current[0] = "key-2";
    p.chat(request("a"), StreamListener.NONE);
    assertThat(server.requests()).extracting(r -> r.header("authorization")).containsExactly("Bearer key-1", "Bearer key-2");
  }
}
