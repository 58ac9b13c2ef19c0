package dev.warden.scenarios.internal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on one loopback address (port 0) that serves the scenario's pages and records
 * every request it gets: the web the agent reads (127.0.0.1) and the attacker's collector
 * (127.0.0.2) are both one of these.
 */
public final class LoopbackServer implements AutoCloseable {

  /** Largest request body recorded, in bytes; more is cut (a collector needs evidence, not archives). */
  public static final int MAX_RECORDED_BODY_BYTES = 1024 * 1024;

  /** A request the server received. Header names are lower case. */
  public record Received(String method, String path, Map<String, String> headers, String body) {
    /** Everything an exfiltration could hide in: the path and query, the headers and the body. */
    public String everything() {
      return method + " " + path + "\n" + headers + "\n" + body;
    }
  }

  /** A page: what the server answers for one path. */
  public record Page(int status, String contentType, String body) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Page> pages = new ConcurrentHashMap<>();
  private volatile Page fallback = new Page(200, "text/plain; charset=utf-8", "ok");

  public LoopbackServer(String address) throws IOException {
    server = HttpServer.create(new InetSocketAddress(address, 0), 0);
    server.createContext("/", ex -> {
      try (ex) {
        byte[] raw = ex.getRequestBody().readNBytes(MAX_RECORDED_BODY_BYTES);
        Map<String, String> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(", ", v)));
        String path = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        received.add(new Received(ex.getRequestMethod(), path, headers, new String(raw, StandardCharsets.UTF_8)));
        Page p = pages.getOrDefault(ex.getRequestURI().getPath(), fallback);
        byte[] out = p.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", p.contentType());
        ex.sendResponseHeaders(p.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
          ex.getResponseBody().write(out);
        }
      }
    });
    server.start();
  }

  public void page(String path, Page p) {
    pages.put(path.startsWith("/") ? path : "/" + path, p);
  }

  public void fallback(Page p) {
    fallback = p;
  }

  public String base() {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
  }

  public String url(String path) {
    return base() + (path.startsWith("/") ? path : "/" + path);
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
