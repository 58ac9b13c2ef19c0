package dev.warden.agent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.warden.testing.llm.FakeAnthropicServer;
import dev.warden.testing.llm.FakeOpenAiServer;
import dev.warden.testing.llm.FakeResponse;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FailoverProviderTest {

  private final FakeOpenAiServer first = FakeOpenAiServer.start();
  private final FakeOpenAiServer second = FakeOpenAiServer.start();
  private final FakeAnthropicServer anthropic = FakeAnthropicServer.start();

  @AfterEach
  void stop() {
    first.close();
    second.close();
    anthropic.close();
  }

  private static final ProviderSettings SETTINGS = ProviderSettings.defaults()
      .withApiKeyLookup(n -> "key-" + n).withTimeout(Duration.ofMillis(500));

  private FailoverProvider chain() throws ModelException {
    return (FailoverProvider) ModelProviders.create(
        "failover:openai:one@" + first.baseUrl() + "|openai:two@" + second.baseUrl(), SETTINGS);
  }

  private static ChatRequest request() {
    return new ChatRequest(List.of(ChatMessage.user("hi")), List.of(), 50);
  }

  @Test
  void firstAnswers_secondUntouched() throws Exception {
    first.enqueue(FakeResponse.text("from one"));
    FailoverProvider p = chain();
    assertThat(p.chat(request(), StreamListener.NONE).text()).isEqualTo("from one");
    assertThat(p.lastAnsweredByOrNull()).isEqualTo("openai:one@" + first.baseUrl());
    assertThat(second.requestCount()).isZero();
  }

  @Test
  void http429_failsOverToNext_andRecordsWhoAnswered() throws Exception {
    first.enqueue(FakeResponse.error(429, FakeOpenAiServer.errorBody("slow down", "rate_limit")));
    second.enqueue(FakeResponse.text("from two"));
    FailoverProvider p = chain();
    assertThat(p.lastAnsweredByOrNull()).isNull();
    assertThat(p.chat(request(), StreamListener.NONE).text()).isEqualTo("from two");
    assertThat(p.lastAnsweredByOrNull()).isEqualTo("openai:two@" + second.baseUrl());
    assertThat(first.requestCount()).isEqualTo(1);
    assertThat(second.requestCount()).isEqualTo(1);
  }

  @Test
  void http500_failsOver() throws Exception {
    first.enqueue(FakeResponse.error(500, FakeOpenAiServer.errorBody("boom", "server_error")));
    second.enqueue(FakeResponse.text("ok"));
    assertThat(chain().chat(request(), StreamListener.NONE).text()).isEqualTo("ok");
  }

  @Test
  void timeout_failsOver() throws Exception {
    first.enqueue(FakeResponse.text("late").withDelayBeforeHeaders(Duration.ofSeconds(3)));
    second.enqueue(FakeResponse.text("ok"));
    assertThat(chain().chat(request(), StreamListener.NONE).text()).isEqualTo("ok");
  }

  @Test
  void connectError_failsOver() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    second.enqueue(FakeResponse.text("ok"));
    ModelProvider p = ModelProviders.create(
        "failover:openai:dead@http://127.0.0.1:" + port + "/v1|openai:two@" + second.baseUrl(), SETTINGS);
    assertThat(p.chat(request(), StreamListener.NONE).text()).isEqualTo("ok");
  }

  @Test
  void http401_doesNotFailOver() throws Exception {
    first.requireApiKey("not-this-one");
    second.enqueue(FakeResponse.text("should not be used"));
    ModelException e = catchThrowableOfType(ModelException.class, () -> chain().chat(request(), StreamListener.NONE));
    assertThat(e.httpStatus()).hasValue(401);
    assertThat(e.retryable()).isFalse();
    assertThat(second.requestCount()).isZero();
  }

  @Test
  void http400_doesNotFailOver() throws Exception {
    first.enqueue(FakeResponse.error(400, FakeOpenAiServer.errorBody("bad request", "invalid_request_error")));
    second.enqueue(FakeResponse.text("should not be used"));
    assertThatThrownBy(() -> chain().chat(request(), StreamListener.NONE)).isInstanceOf(ModelException.class);
    assertThat(second.requestCount()).isZero();
  }

  @Test
  void allFailRetryably_errorListsEachProvider() throws Exception {
    first.enqueue(FakeResponse.error(503, "{}"));
    second.enqueue(FakeResponse.error(429, "{}"));
    FailoverProvider p = chain();
    ModelException e = catchThrowableOfType(ModelException.class, () -> p.chat(request(), StreamListener.NONE));
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("openai:one@", "HTTP 503", "openai:two@", "HTTP 429");
    assertThat(p.lastAnsweredByOrNull()).isNull();
  }

  @Test
  void streaming_failureBeforeAnyDelta_failsOver_listenerSeesOnlyTheAnswer() throws Exception {
    first.enqueue(FakeResponse.error(502, "{}"));
    second.enqueue(FakeResponse.text("streamed answer"));
    List<String> deltas = new ArrayList<>();
    ChatResponse r = chain().chat(request(), deltas::add);
    assertThat(String.join("", deltas)).isEqualTo("streamed answer").isEqualTo(r.text());
  }

  @Test
  void streaming_failureAfterADelta_isNotFailedOver() throws Exception {
    first.enqueue(FakeResponse.raw(200, "text/event-stream",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"half\"}}]}\n\n"));
    second.enqueue(FakeResponse.text("should not be used"));
    List<String> deltas = new ArrayList<>();
    ModelException e = catchThrowableOfType(ModelException.class, () -> chain().chat(request(), deltas::add));
    assertThat(e.getMessage()).contains("already been streamed");
    assertThat(deltas).containsExactly("half");
    assertThat(second.requestCount()).isZero();
  }

  @Test
  void mixedProtocols_failOverFromOpenAiToAnthropic() throws Exception {
    first.enqueue(FakeResponse.error(500, "{}"));
    anthropic.enqueue(FakeResponse.text("claude here"));
    FailoverProvider p = (FailoverProvider) ModelProviders.create(
        "failover:openai:one@" + first.baseUrl() + " | anthropic:claude@" + anthropic.baseUrl(), SETTINGS);
    assertThat(p.chat(request(), d -> {}).text()).isEqualTo("claude here");
    assertThat(p.lastAnsweredByOrNull()).startsWith("anthropic:claude@");
    assertThat(p.providers()).hasSize(2);
    assertThat(p.name()).isEqualTo("failover:openai:one@" + first.baseUrl() + "|anthropic:claude@" + anthropic.baseUrl());
  }

  @Test
  void constructor_rejectsEmptyChain() {
    assertThatThrownBy(() -> new FailoverProvider(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
