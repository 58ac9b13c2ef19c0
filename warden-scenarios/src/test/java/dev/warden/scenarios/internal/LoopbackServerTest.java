package dev.warden.scenarios.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class LoopbackServerTest {
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesPages_andRecordsEveryRequest_withQueryHeadersAndBody() throws Exception {
    try (LoopbackServer s = new LoopbackServer("127.0.0.2")) {
      s.page("/a", new LoopbackServer.Page(201, "text/plain", "hello"));
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.url("/a?k=v"))).header("X-Test", "1")
          .POST(HttpRequest.BodyPublishers.ofString("body!")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(r.body()).isEqualTo("hello");
      assertThat(s.received()).singleElement().satisfies(x -> {
        assertThat(x.method()).isEqualTo("POST");
        assertThat(x.path()).isEqualTo("/a?k=v");
        assertThat(x.headers()).containsEntry("x-test", "1");
        assertThat(x.body()).isEqualTo("body!");
        assertThat(x.everything()).contains("k=v").contains("body!");
      });
    }
  }

  @Test
  void unknownPath_getsTheFallback() throws Exception {
    try (LoopbackServer s = new LoopbackServer("127.0.0.1")) {
      assertThat(http.send(HttpRequest.newBuilder(URI.create(s.url("/nothing"))).build(), HttpResponse.BodyHandlers.ofString()).body())
          .isEqualTo("ok");
      assertThat(s.base()).startsWith("http://127.0.0.1:");
    }
  }
}
