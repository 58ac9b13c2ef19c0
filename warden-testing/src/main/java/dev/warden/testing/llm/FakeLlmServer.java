package dev.warden.testing.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 (port 0) that speaks one LLM wire protocol, answers from a queue
 * of {@link FakeResponse}s and records every request. With an empty queue it answers 500 with a
 * message saying so, so a test that forgot to enqueue fails loudly.
 *
 * <p>Concurrency: requests are served on virtual threads; the queue and the record are thread-safe.
 */
public abstract class FakeLlmServer implements AutoCloseable {

  /** Largest request body the fake reads. */
  public static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

  protected static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final ConcurrentLinkedQueue<FakeResponse> queue = new ConcurrentLinkedQueue<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private volatile String requiredKeyOrNull;

  protected FakeLlmServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException("cannot bind a fake LLM server on 127.0.0.1", e);
    }
    server.setExecutor(executor);
  }

  /** Starts serving; called by the subclass's factory once it is fully built. */
  protected final void serve() {
    server.createContext("/", this::handle);
    server.start();
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI origin() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** The base URL to put in a model spec. */
  public abstract String baseUrl();

  /** Queues responses, answered in order, one per request. */
  public FakeLlmServer enqueue(FakeResponse... responses) {
    Collections.addAll(queue, responses);
    return this;
  }

  /** Requires this API key (in the protocol's header); requests without it get 401 and consume nothing. */
  public FakeLlmServer requireApiKey(String key) {
    this.requiredKeyOrNull = key;
    return this;
  }

  /** Every request received, in order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** The most recent request; fails when there was none. */
  public RecordedRequest lastRequest() {
    if (requests.isEmpty()) {
      throw new IllegalStateException("the fake server received no request");
    }
    return requests.get(requests.size() - 1);
  }

  public int requestCount() {
    return requests.size();
  }

  /** Responses queued and not yet used. */
  public int pendingResponses() {
    return queue.size();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Whether the request carries the required key in this protocol's header. */
  protected abstract boolean hasKey(RecordedRequest r, String key);

  /** The protocol's 401 body. */
  protected abstract String unauthorisedBody();

  /** A protocol-level validation error for a malformed request, or null when it is well formed. */
  protected abstract String validate(RecordedRequest r);

  /** The protocol's 400 body for {@code message}. */
  protected abstract String badRequestBody(String message);

  protected abstract void writeJson(HttpExchange ex, RecordedRequest r, FakeResponse.Reply reply) throws IOException;

  protected abstract void writeStream(HttpExchange ex, RecordedRequest r, FakeResponse.Reply reply) throws IOException;

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] bytes;
      try (InputStream in = ex.getRequestBody()) {
        bytes = in.readNBytes(MAX_REQUEST_BYTES + 1);
      }
      String body = new String(bytes, StandardCharsets.UTF_8);
      JsonNode json = null;
      try {
        json = body.isEmpty() ? null : JSON.readTree(body);
      } catch (IOException notJson) {
        // Recorded as not JSON; validate() rejects it.
      }
      Map<String, List<String>> headers = new LinkedHashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
      RecordedRequest r = new RecordedRequest(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
          ex.getRequestURI().getRawQuery(), Collections.unmodifiableMap(headers), body, json);
      requests.add(r);
      String key = requiredKeyOrNull;
      if (key != null && !hasKey(r, key)) {
        send(ex, 401, "application/json", unauthorisedBody());
        return;
      }
      String invalid = bytes.length > MAX_REQUEST_BYTES ? "request too large" : validate(r);
      if (invalid != null) {
        send(ex, 400, "application/json", badRequestBody(invalid));
        return;
      }
      FakeResponse next = queue.poll();
      if (next == null) {
        send(ex, 500, "application/json", badRequestBody("fake server: no response queued for request #" + requests.size()));
        return;
      }
      switch (next) {
        case FakeResponse.HttpError e -> {
          e.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
          send(ex, e.status(), "application/json", e.body());
        }
        case FakeResponse.Raw raw -> {
          if (raw.holdOpenAfterBody().isZero()) {
            send(ex, raw.status(), raw.contentType(), raw.body());
          } else {
            ex.getResponseHeaders().set("content-type", raw.contentType());
            ex.sendResponseHeaders(raw.status(), 0);
            OutputStream out = ex.getResponseBody();
            out.write(raw.body().getBytes(StandardCharsets.UTF_8));
            out.flush();
            sleep(raw.holdOpenAfterBody());
            out.close();
          }
        }
        case FakeResponse.Reply reply -> {
          sleep(reply.delayBeforeHeaders());
          if (r.streaming()) {
            writeStream(ex, r, reply);
          } else {
            writeJson(ex, r, reply);
          }
        }
      }
    } catch (IOException e) {
      // The client went away (e.g. it timed out); nothing to answer.
    }
  }

  protected static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("content-type", contentType);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    }
  }

  /** Starts an SSE response; write events with {@link #event}. */
  protected static OutputStream startSse(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().set("content-type", "text/event-stream");
    ex.getResponseHeaders().set("cache-control", "no-cache");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    // Push the headers out now, so a client sees the response start before the first event.
    out.flush();
    return out;
  }

  /** Writes one SSE event ({@code event:} line only when {@code typeOrNull} is given) and flushes. */
  protected static void event(OutputStream out, String typeOrNull, String data, Duration pause) throws IOException {
    sleep(pause);
    StringBuilder sb = new StringBuilder();
    if (typeOrNull != null) {
      sb.append("event: ").append(typeOrNull).append('\n');
    }
    for (String line : data.split("\n", -1)) {
      sb.append("data: ").append(line).append('\n');
    }
    sb.append('\n');
    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** {@code s} cut into pieces of {@code n} characters; one empty piece for an empty string. */
  protected static List<String> pieces(String s, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < s.length(); i += n) {
      out.add(s.substring(i, Math.min(s.length(), i + n)));
    }
    return out;
  }

  protected static void sleep(Duration d) {
    if (d.isZero() || d.isNegative()) {
      return;
    }
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  protected static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
