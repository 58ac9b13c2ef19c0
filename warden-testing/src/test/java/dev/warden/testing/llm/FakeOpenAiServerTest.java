package dev.warden.testing.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeOpenAiServerTest {

  private final FakeOpenAiServer server = FakeOpenAiServer.start();
  private final HttpClient client = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.origin() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static final String OK_BODY = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Test
  void listensOnLoopbackOnly() {
    assertThat(server.origin().getHost()).isEqualTo("127.0.0.1");
    assertThat(server.baseUrl()).endsWith("/v1");
  }

  @Test
  void emptyQueue_answers500SayingSo() throws Exception {
    HttpResponse<String> r = post("/v1/chat/completions", OK_BODY);
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).contains("no response queued");
  }

  @Test
  void nonStreamingReply_isAChatCompletion() throws Exception {
    server.enqueue(FakeResponse.text("hello"));
    HttpResponse<String> r = post("/v1/chat/completions", OK_BODY);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"object\":\"chat.completion\"", "\"content\":\"hello\"", "\"finish_reason\":\"stop\"");
    assertThat(server.lastRequest().json().path("model").asText()).isEqualTo("m");
  }

  @Test
  void streamingReply_isSseEndingWithDone() throws Exception {
    server.enqueue(FakeResponse.text("abcdefgh").withChunkChars(3));
    HttpResponse<String> r = post("/v1/chat/completions",
        "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(r.body()).contains("\"content\":\"abc\"", "\"content\":\"def\"", "\"content\":\"gh\"")
        .endsWith("data: [DONE]\n\n").doesNotContain("\"usage\"");
  }

  @Test
  void toolMessageWithoutItsCall_is400() throws Exception {
    server.enqueue(FakeResponse.text("unused"));
    HttpResponse<String> r = post("/v1/chat/completions",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"c9\",\"content\":\"x\"}]}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(server.pendingResponses()).isEqualTo(1);
  }

  @Test
  void missingKey_is401_andConsumesNothing() throws Exception {
    server.requireApiKey("k").enqueue(FakeResponse.text("x"));
    assertThat(post("/v1/chat/completions", OK_BODY).statusCode()).isEqualTo(401);
    assertThat(post("/v1/chat/completions", OK_BODY, "authorization", "Bearer k").statusCode()).isEqualTo(200);
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void queuedErrors_areReturnedWithStatusAndHeaders() throws Exception {
    server.enqueue(new FakeResponse.HttpError(429, "{\"error\":{}}", java.util.Map.of("retry-after", "2")));
    HttpResponse<String> r = post("/v1/chat/completions", OK_BODY);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).hasValue("2");
  }
}
