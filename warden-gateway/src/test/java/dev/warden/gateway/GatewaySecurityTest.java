package dev.warden.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Threat catalogue item 6, tried for real against a running gateway: each attempt fails and is audited. */
class GatewaySecurityTest {
  @TempDir Path dir;
  GatewayFixture fx;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    fx = new GatewayFixture(dir);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  record Login(String cookie, String csrf) {}

  Login login() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(fx.gateway.origin() + "/api/login"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + fx.token + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict");
    Matcher m = Pattern.compile("\"csrf\":\"([^\"]+)\"").matcher(r.body());
    assertThat(m.find()).isTrue();
    return new Login(setCookie.substring(0, setCookie.indexOf(';')), m.group(1));
  }

  HttpResponse<String> postWithCookie(Login l, String origin, String csrf) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fx.gateway.origin() + "/api/approvals/apr-x/deny"))
        .header("Cookie", l.cookie()).POST(HttpRequest.BodyPublishers.ofString("{}"));
    if (origin != null) {
      b.header("Origin", origin);
    }
    if (csrf != null) {
      b.header("X-Warden-CSRF", csrf);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  boolean audited(String name) throws Exception {
    return fx.rt.audit().store().tail(50).stream().anyMatch(r -> name.equals(r.body().get("name")));
  }

  @Test
  void csrf_withoutTheHeader_isRefusedAndAudited() throws Exception {
    Login l = login();
    assertThat(postWithCookie(l, fx.gateway.origin(), null).statusCode()).isEqualTo(403);
    assertThat(audited("csrf_refused")).isTrue();
    // The same request with the header reaches the handler (409: no such approval).
    assertThat(postWithCookie(l, fx.gateway.origin(), l.csrf()).statusCode()).isEqualTo(409);
  }

  @Test
  void crossOriginPost_isRefusedAndAudited() throws Exception {
    Login l = login();
    assertThat(postWithCookie(l, "http://evil.test", l.csrf()).statusCode()).isEqualTo(403);
    assertThat(audited("cross_origin_refused")).isTrue();
  }

  @Test
  void noCorsHeaders_areEverSent() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(fx.gateway.origin() + "/api/status"))
        .header("Authorization", "Bearer " + fx.token).header("Origin", "http://evil.test").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void webSocket_withoutAuth_isRefusedAndAudited() throws Exception {
    Throwable t = null;
    try {
      http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + fx.gateway.port() + "/ws"), new WebSocket.Listener() {})
          .join();
    } catch (CompletionException e) {
      t = e;
    }
    assertThat(t).isNotNull();
    assertThat(audited("websocket_refused")).isTrue();
  }

  @Test
  void webSocket_fromAnotherOrigin_isRefusedEvenWithTheCookie() throws Exception {
    Login l = login();
    Throwable t = null;
    try {
      http.newWebSocketBuilder().header("Cookie", l.cookie()).header("Origin", "http://evil.test")
          .buildAsync(URI.create("ws://127.0.0.1:" + fx.gateway.port() + "/ws"), new WebSocket.Listener() {}).join();
    } catch (CompletionException e) {
      t = e;
    }
    assertThat(t).isNotNull();
  }

  @Test
  void webSocket_withCookieAndOwnOrigin_connects() throws Exception {
    Login l = login();
    WebSocket ws = http.newWebSocketBuilder().header("Cookie", l.cookie()).header("Origin", fx.gateway.origin())
        .buildAsync(URI.create("ws://127.0.0.1:" + fx.gateway.port() + "/ws"), new WebSocket.Listener() {}).join();
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  @Test
  void bruteForce_isLockedOutAfterFiveFailures_andAudited() throws Exception {
    int last = 0;
    for (int i = 0; i < 7; i++) {
      last = http.send(HttpRequest.newBuilder(URI.create(fx.gateway.origin() + "/api/login"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"guess-" + i + "\"}")).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode();
    }
    assertThat(last).isEqualTo(429);
    // Even the right token is refused while locked out.
    assertThat(http.send(HttpRequest.newBuilder(URI.create(fx.gateway.origin() + "/api/login"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + fx.token + "\"}")).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(429);
    assertThat(audited("login_failed")).isTrue();
    assertThat(audited("login_locked_out")).isTrue();
  }

  @Test
  void wrongBearerToken_isRefused() throws Exception {
    assertThat(http.send(HttpRequest.newBuilder(URI.create(fx.gateway.origin() + "/api/status"))
        .header("Authorization", "Bearer nope").build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
  }
}
