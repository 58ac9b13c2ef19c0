package dev.warden.testing.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeAnthropicServerTest {

  private final FakeAnthropicServer server = FakeAnthropicServer.start();
  private final HttpClient client = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> post(String body, boolean withVersion) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/messages"))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (withVersion) {
      b.header("anthropic-version", "2023-06-01");
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void missingVersionHeader_is400() throws Exception {
    server.enqueue(FakeResponse.text("x"));
    HttpResponse<String> r = post("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", false);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("anthropic-version");
  }

  @Test
  void nonAlternatingRoles_is400() throws Exception {
    server.enqueue(FakeResponse.text("x"));
    HttpResponse<String> r = post("{\"model\":\"m\",\"max_tokens\":5,\"messages\":["
        + "{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\",\"content\":\"b\"}]}", true);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("alternate");
  }

  @Test
  void toolResultWithoutToolUse_is400() throws Exception {
    server.enqueue(FakeResponse.text("x"));
    HttpResponse<String> r = post("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_x\",\"content\":\"r\"}]}]}", true);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("tool_use_id");
  }

  @Test
  void streamingReply_followsTheEventSequence() throws Exception {
    server.enqueue(FakeResponse.textAndToolCalls("hi", new FakeToolCall("toolu_1", "t", "{\"a\":1}")));
    HttpResponse<String> r = post("{\"model\":\"m\",\"max_tokens\":5,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}", true);
    String b = r.body();
    assertThat(b.indexOf("event: message_start")).isLessThan(b.indexOf("event: content_block_start"));
    assertThat(b).contains("\"type\":\"text_delta\"", "\"type\":\"input_json_delta\"", "\"stop_reason\":\"tool_use\"");
    assertThat(b.strip()).endsWith("data: {\"type\":\"message_stop\"}");
  }
}
