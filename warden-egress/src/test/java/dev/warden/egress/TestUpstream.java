package dev.warden.egress;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/** A real HTTP(S) server on loopback that records what reached it. */
final class TestUpstream implements AutoCloseable {
  record Received(String method, String uri, Map<String, List<String>> headers, String body) {
    String header(String name) {
      for (var e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().getFirst();
        }
      }
      return null;
    }
  }

  final String name;
  final HttpServer server;
  final List<Received> received = new CopyOnWriteArrayList<>();

  private TestUpstream(String name, HttpServer server) {
    this.name = name;
    this.server = server;
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  static TestUpstream http(String name, String bindAddress, int port) throws IOException {
    return new TestUpstream(name, HttpServer.create(new InetSocketAddress(bindAddress, port), 64));
  }

  static TestUpstream http(String name) throws IOException {
    return http(name, "127.0.0.1", 0);
  }

  static TestUpstream https(String name, SSLContext ctx) throws IOException {
    HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    s.setHttpsConfigurator(new HttpsConfigurator(ctx));
    return new TestUpstream(name, s);
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange x) throws IOException {
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(new Received(x.getRequestMethod(), x.getRequestURI().toString(), Map.copyOf(x.getRequestHeaders()), body));
    byte[] out = ("hello from " + name + "\n").getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "text/plain");
    if (x.getRequestURI().getPath().equals("/chunked")) {
      x.sendResponseHeaders(200, 0);
      x.getResponseBody().write(out);
      x.getResponseBody().write(out);
    } else {
      x.sendResponseHeaders(200, out.length);
      x.getResponseBody().write(out);
    }
    x.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
