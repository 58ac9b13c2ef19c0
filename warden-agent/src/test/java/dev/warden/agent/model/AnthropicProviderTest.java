package dev.warden.agent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.agent.model.internal.AnthropicProvider;
import dev.warden.testing.llm.FakeAnthropicServer;
import dev.warden.testing.llm.FakeResponse;
import dev.warden.testing.llm.FakeToolCall;
import dev.warden.testing.llm.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnthropicProviderTest {

  private static final String KEY = "sk-ant-test-abcdef0123456789";

  private final FakeAnthropicServer server = FakeAnthropicServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private static ProviderSettings withKey() {
    return ProviderSettings.defaults().withApiKeyLookup(name -> name.equals("anthropic") ? KEY : null);
  }

  private ModelProvider provider(ProviderSettings s) throws ModelException {
    return ModelProviders.create("anthropic:claude-test@" + server.baseUrl(), s);
  }

  private static ChatRequest request(String text) {
    return new ChatRequest(List.of(ChatMessage.user(text)), List.of(), 200);
  }

  private static final ToolSpec FETCH = new ToolSpec("web_fetch", "Fetches a URL",
      Map.of("type", "object", "properties", Map.of("url", Map.of("type", "string"))));

  @Test
  void nonStreaming_textAndToolUse_areParsed() throws Exception {
    server.enqueue(FakeResponse.textAndToolCalls("Fetching.",
        new FakeToolCall("toolu_1", "web_fetch", "{\"url\": \"https://example.org/\"}")).withUsage(30, 12));
    ChatResponse r = provider(withKey()).chat(new ChatRequest(List.of(ChatMessage.user("go")), List.of(FETCH), 99),
        StreamListener.NONE);
    assertThat(r.text()).isEqualTo("Fetching.");
    assertThat(r.toolCalls()).containsExactly(new ToolCall("toolu_1", "web_fetch", Map.of("url", "https://example.org/")));
    assertThat(r.usage()).isEqualTo(new Usage(30, 12));
    assertThat(r.stopReason()).isEqualTo("tool_use");
  }

  @Test
  void streaming_textDeltas_andInputJsonDeltas_areAssembled() throws Exception {
    server.enqueue(FakeResponse.textAndToolCalls("I will read both files now.",
        new FakeToolCall("toolu_a", "read_file", "{\"path\": \"AGENTS.md\", \"opts\": {\"max\": 10}}"),
        new FakeToolCall("toolu_b", "read_file", "{\"path\": \"SOUL.md\"}")).withChunkChars(3).withUsage(55, 21));
    List<String> deltas = new ArrayList<>();
    ChatResponse r = provider(withKey()).chat(request("read"), deltas::add);
    assertThat(deltas).hasSizeGreaterThan(3);
    assertThat(String.join("", deltas)).isEqualTo("I will read both files now.").isEqualTo(r.text());
    assertThat(r.toolCalls()).containsExactly(
        new ToolCall("toolu_a", "read_file", Map.of("path", "AGENTS.md", "opts", Map.of("max", 10))),
        new ToolCall("toolu_b", "read_file", Map.of("path", "SOUL.md")));
    assertThat(r.usage()).isEqualTo(new Usage(55, 21));
    assertThat(r.stopReason()).isEqualTo("tool_use");
    assertThat(server.lastRequest().json().path("stream").asBoolean()).isTrue();
  }

  @Test
  void streaming_toolUseWithNoInputDeltas_hasEmptyArguments() throws Exception {
    server.enqueue(FakeResponse.toolCalls(new FakeToolCall("toolu_z", "cron_list", "")));
    ChatResponse r = provider(withKey()).chat(request("x"), d -> {});
    assertThat(r.toolCalls()).containsExactly(new ToolCall("toolu_z", "cron_list", Map.of()));
  }

  @Test
  void request_wireFormat_matchesMessagesApi() throws Exception {
    server.enqueue(FakeResponse.text("ok"));
    ToolCall c1 = new ToolCall("toolu_1", "web_fetch", Map.of("url", "https://a.example/"));
    ToolCall c2 = new ToolCall("toolu_2", "web_fetch", Map.of("url", "https://b.example/"));
    ChatRequest req = new ChatRequest(List.of(
        ChatMessage.system("You are Warden."),
        ChatMessage.system("Workspace: AGENTS.md says be brief."),
        ChatMessage.user("compare a and b"),
        ChatMessage.assistant("Fetching both.", List.of(c1, c2)),
        ChatMessage.tool("toolu_1", "page a"),
        ChatMessage.tool("toolu_2", "page b"),
        ChatMessage.user("and be quick"),
        ChatMessage.assistant("They differ."),
        ChatMessage.user("thanks")), List.of(FETCH), 512);
    provider(withKey()).chat(req, StreamListener.NONE);

    RecordedRequest r = server.lastRequest();
    assertThat(r.path()).isEqualTo("/v1/messages");
    assertThat(r.header("x-api-key")).isEqualTo(KEY);
    assertThat(r.header("anthropic-version")).isEqualTo(AnthropicProvider.API_VERSION);
    assertThat(r.header("authorization")).isNull();
    JsonNode j = r.json();
    assertThat(j.path("model").asText()).isEqualTo("claude-test");
    assertThat(j.path("max_tokens").asInt()).isEqualTo(512);
    assertThat(j.path("system").asText()).isEqualTo("You are Warden.\n\nWorkspace: AGENTS.md says be brief.");
    JsonNode m = j.path("messages");
    // user, assistant(text + 2 tool_use), user(2 tool_result + text), assistant, user
    assertThat(m.size()).isEqualTo(5);
    assertThat(m.path(1).path("content").path(1).path("type").asText()).isEqualTo("tool_use");
    assertThat(m.path(1).path("content").path(1).path("input").path("url").asText()).isEqualTo("https://a.example/");
    JsonNode results = m.path(2).path("content");
    assertThat(m.path(2).path("role").asText()).isEqualTo("user");
    assertThat(results.path(0).path("type").asText()).isEqualTo("tool_result");
    assertThat(results.path(0).path("tool_use_id").asText()).isEqualTo("toolu_1");
    assertThat(results.path(1).path("tool_use_id").asText()).isEqualTo("toolu_2");
    assertThat(results.path(2).path("text").asText()).isEqualTo("and be quick");
    JsonNode tool = j.path("tools").path(0);
    assertThat(tool.path("name").asText()).isEqualTo("web_fetch");
    assertThat(tool.path("input_schema").path("type").asText()).isEqualTo("object");
  }

  @Test
  void assistantTurnWithOnlyToolCalls_hasNoEmptyTextBlock() throws Exception {
    server.enqueue(FakeResponse.text("ok"));
    ChatRequest req = new ChatRequest(List.of(ChatMessage.user("x"),
        ChatMessage.assistant("", List.of(new ToolCall("toolu_1", "cron_list", Map.of()))),
        ChatMessage.tool("toolu_1", "")), List.of(), 10);
    // The fake answers 400 for an empty text block, as the real API does.
    assertThat(provider(withKey()).chat(req, StreamListener.NONE).text()).isEqualTo("ok");
    assertThat(server.lastRequest().json().path("messages").path(1).path("content").size()).isEqualTo(1);
  }

  @Test
  void foreignToolIds_areMappedConsistently() throws Exception {
    server.enqueue(FakeResponse.text("ok"));
    ChatRequest req = new ChatRequest(List.of(ChatMessage.user("x"),
        ChatMessage.assistant("", List.of(new ToolCall("call:abc.1", "cron_list", Map.of()))),
        ChatMessage.tool("call:abc.1", "none")), List.of(), 10);
    provider(withKey()).chat(req, StreamListener.NONE);
    JsonNode m = server.lastRequest().json().path("messages");
    assertThat(m.path(1).path("content").path(0).path("id").asText()).isEqualTo("call_abc_1");
    assertThat(m.path(2).path("content").path(0).path("tool_use_id").asText()).isEqualTo("call_abc_1");
  }

  @Test
  void http401_isNotRetryable_andNeverShowsTheKey() throws Exception {
    server.requireApiKey("different");
    ModelException e = catchThrowableOfType(ModelException.class,
        () -> provider(withKey()).chat(request("x"), StreamListener.NONE));
    assertThat(e.retryable()).isFalse();
    assertThat(e.httpStatus()).hasValue(401);
    assertThat(e.getMessage()).contains("authentication_error", "warden secrets add anthropic", "/v1/messages")
        .doesNotContain(KEY);
  }

  @Test
  void http529Overloaded_isRetryable() throws Exception {
    server.enqueue(FakeResponse.error(529, FakeAnthropicServer.errorBody("overloaded_error", "Overloaded")));
    ModelException e = catchThrowableOfType(ModelException.class,
        () -> provider(withKey()).chat(request("x"), StreamListener.NONE));
    assertThat(e.retryable()).isTrue();
    assertThat(e.httpStatus()).hasValue(529);
  }

  @Test
  void errorEventMidStream_failsRetryably() throws Exception {
    server.enqueue(FakeResponse.raw(200, "text/event-stream",
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":3}}}\n\n"
            + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"));
    ModelException e = catchThrowableOfType(ModelException.class, () -> provider(withKey()).chat(request("x"), d -> {}));
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("overloaded_error", "Overloaded");
  }

  @Test
  void streamWithoutMessageStop_isTruncated() throws Exception {
    server.enqueue(FakeResponse.raw(200, "text/event-stream",
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":3}}}\n\n"
            + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hal\"}}\n\n"));
    ModelException e = catchThrowableOfType(ModelException.class, () -> provider(withKey()).chat(request("x"), d -> {}));
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("message_stop");
  }

  @Test
  void inputJsonDeltaForATextBlock_isMalformed() throws Exception {
    server.enqueue(FakeResponse.raw(200, "text/event-stream",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}\n\n"));
    ModelException e = catchThrowableOfType(ModelException.class, () -> provider(withKey()).chat(request("x"), d -> {}));
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("malformed");
  }

  @Test
  void thinkingBlocks_areIgnored() throws Exception {
    server.enqueue(FakeResponse.raw(200, "application/json",
        "{\"type\":\"message\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"s\"},"
            + "{\"type\":\"text\",\"text\":\"answer\"}],\"stop_reason\":\"end_turn\","
            + "\"usage\":{\"input_tokens\":5,\"cache_read_input_tokens\":100,\"output_tokens\":2}}"));
    ChatResponse r = provider(withKey()).chat(request("x"), StreamListener.NONE);
    assertThat(r.text()).isEqualTo("answer");
    assertThat(r.usage()).isEqualTo(new Usage(105, 2));
  }

  @Test
  void streamThatGoesSilent_isCutByIdleTimeout() throws Exception {
    server.enqueue(FakeResponse.text("slow").withDelayBetweenChunks(Duration.ofSeconds(2)));
    ModelProvider p = provider(withKey().withTimeout(Duration.ofMillis(300)));
    ModelException e = catchThrowableOfType(ModelException.class, () -> p.chat(request("x"), d -> {}));
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void baseUrlEndingInV1_isNotDoubled() throws Exception {
    server.enqueue(FakeResponse.text("ok"));
    ModelProvider p = ModelProviders.create("anthropic:claude-test@" + server.baseUrl() + "/v1/", withKey());
    p.chat(request("x"), StreamListener.NONE);
    assertThat(server.lastRequest().path()).isEqualTo("/v1/messages");
  }

  @Test
  void maxTokensStop_isReportedAsTruncated() throws Exception {
    server.enqueue(FakeResponse.text("cut off").withStopReason("max_tokens"));
    ChatResponse r = provider(withKey()).chat(request("x"), d -> {});
    assertThat(r.stopReason()).isEqualTo("max_tokens");
    assertThat(r.truncated()).isTrue();
  }
}
