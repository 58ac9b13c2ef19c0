package dev.warden.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.gateway.GatewayAuth;
import dev.warden.kernel.WardenHome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The CLI's way to the running gateway of a home (for answering approvals whose actions are
 * parked there). Finds it through {@code run/gateway.json} and authenticates with the operator
 * token in {@code keys/operator.token}.
 */
final class GatewayClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private GatewayClient(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  /** The running gateway of {@code home}, if one answers. */
  static Optional<GatewayClient> find(WardenHome home) {
    Path info = home.run().resolve("gateway.json");
    if (!Files.exists(info)) {
      return Optional.empty();
    }
    try {
      Map<?, ?> m = JSON.readValue(info.toFile(), Map.class);
      long pid = ((Number) m.get("pid")).longValue();
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        GatewayClient c = new GatewayClient(URI.create("http://127.0.0.1:" + m.get("port")), GatewayAuth.readOperatorToken(home.keys()));
        c.get("/api/status");
        return Optional.of(c);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  String get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  String post(String path, Object body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  private String send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(b.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      Map<?, ?> m;
      try {
        m = JSON.readValue(r.body(), Map.class);
      } catch (IOException e) {
        m = Map.of("error", r.body());
      }
      throw new IOException(String.valueOf(m.get("error")));
    }
    return r.body();
  }
}
