package dev.warden.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.registry.pkg.internal.CanonicalJson;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.BiFunction;

/**
 * A lying registry for tests: forwards every request to a real registry and lets the test rewrite
 * the JSON answer (path, answer) -> answer. Speaks the real wire protocol on 127.0.0.1.
 */
final class TamperingRegistryProxy implements AutoCloseable {
  private final Javalin app;
  private volatile BiFunction<String, ObjectNode, JsonNode> rewrite = (path, body) -> body;

  TamperingRegistryProxy(URI upstream) {
    HttpClient http = HttpClient.newHttpClient();
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.routes.get("/*", ctx -> {
        String q = ctx.queryString() == null ? "" : "?" + ctx.queryString();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(upstream + ctx.path() + q)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body = CanonicalJson.read(r.body());
        JsonNode out = r.statusCode() == 200 && body instanceof ObjectNode o ? rewrite.apply(ctx.path(), o) : body;
        ctx.status(r.statusCode()).contentType("application/json").result(CanonicalJson.mapper().writeValueAsBytes(out));
      });
    });
    app.start("127.0.0.1", 0);
  }

  void rewrite(BiFunction<String, ObjectNode, JsonNode> f) {
    rewrite = f;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + app.port());
  }

  @Override
  public void close() {
    app.stop();
  }
}
