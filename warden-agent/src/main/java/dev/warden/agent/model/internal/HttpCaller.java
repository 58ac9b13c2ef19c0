package dev.warden.agent.model.internal;

import dev.warden.agent.model.ModelException;
import dev.warden.agent.model.ProviderSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Posts JSON to a provider with the JDK client and hands back a bounded body, mapping every
 * failure to a {@link ModelException} whose message names the provider and the URL (never the
 * key) and whose retryable flag a failover chain can trust.
 *
 * <p>Design notes. Redirects are never followed (a redirect could carry the key's header to another
 * host). HTTP/1.1 is used throughout: local servers (Ollama, llama.cpp) speak it, and an SSE stream
 * gains nothing from HTTP/2 multiplexing. One client is shared by all providers in the JVM.
 */
public final class HttpCaller {

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(Limits.CONNECT_TIMEOUT_SECONDS))
      .followRedirects(HttpClient.Redirect.NEVER)
      .version(HttpClient.Version.HTTP_1_1)
      .build();

  private final String provider;
  private final ProviderSettings settings;
  private final String keyNameOrNull;

  /**
   * @param provider the provider's display name, for messages
   * @param keyNameOrNull the key's name in the vault, for hints on 401/403; null when none is used
   */
  public HttpCaller(String provider, ProviderSettings settings, String keyNameOrNull) {
    this.provider = provider;
    this.settings = settings;
    this.keyNameOrNull = keyNameOrNull;
  }

  /** An open 2xx response body; close it. */
  public record Body(GuardedInputStream stream, String contentType, URI uri) implements AutoCloseable {
    @Override
    public void close() {
      try {
        stream.close();
      } catch (IOException ignored) {
        // Nothing more can be read or cleaned up.
      }
    }
  }

  /**
   * POSTs {@code json} and returns the body of a 2xx answer.
   *
   * @param headers request headers, including the key's header; never shown anywhere
   * @param secretOrNull the key in use, masked out of any body excerpt quoted in an error
   */
  public Body post(URI uri, Map<String, String> headers, String json, boolean streaming, String secretOrNull)
      throws ModelException {
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
        .timeout(settings.timeout())
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    // Operator headers first, so the protocol's own headers (set after) always win.
    settings.extraHeaders().forEach(rb::setHeader);
    rb.setHeader("content-type", "application/json");
    rb.setHeader("accept", streaming ? "text/event-stream" : "application/json");
    headers.forEach(rb::setHeader);
    HttpResponse<InputStream> response;
    try {
      response = CLIENT.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      throw new ModelException(where(uri) + " failed: could not connect within " + Limits.CONNECT_TIMEOUT_SECONDS
          + " s. Check that the server is running and the base URL is right.", true, -1, e);
    } catch (HttpTimeoutException e) {
      throw new ModelException(where(uri) + " failed: no response within " + settings.timeout().toMillis()
          + " ms (the configured model timeout).", true, -1, e);
    } catch (ConnectException e) {
      throw new ModelException(where(uri) + " failed: cannot connect (" + e + "). Check that the server is"
          + " running and the base URL is right.", true, -1, e);
    } catch (IOException e) {
      throw new ModelException(where(uri) + " failed: " + e, true, -1, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelException(where(uri) + " was interrupted.", false, -1, e);
    }
    long idleMillis = settings.timeout().toMillis();
    long totalMillis = TimeUnit.SECONDS.toMillis(Limits.MAX_CALL_DURATION_SECONDS);
    int status = response.statusCode();
    if (status / 100 == 2) {
      long max = streaming ? Limits.MAX_STREAM_BYTES : Limits.MAX_RESPONSE_BYTES;
      return new Body(new GuardedInputStream(response.body(), max, idleMillis, totalMillis),
          response.headers().firstValue("content-type").orElse(""), uri);
    }
    String excerpt;
    try (GuardedInputStream in = new GuardedInputStream(response.body(), Limits.MAX_ERROR_EXCERPT_CHARS * 4L,
        idleMillis, totalMillis)) {
      excerpt = excerpt(new String(in.readNBytes(Limits.MAX_ERROR_EXCERPT_CHARS * 4), StandardCharsets.UTF_8), secretOrNull);
    } catch (IOException e) {
      excerpt = "(body unreadable: " + e.getMessage() + ")";
    }
    throw new ModelException(where(uri) + " returned HTTP " + status + ": " + excerpt + hint(status),
        retryableStatus(status), status, null);
  }

  /** Whether a call that ended with {@code status} may succeed when tried again or elsewhere. */
  public static boolean retryableStatus(int status) {
    return status == 408 || status == 425 || status == 429 || status >= 500;
  }

  private String hint(int status) {
    String key = keyNameOrNull == null ? "" : " (stored as '" + keyNameOrNull + "')";
    return switch (status) {
      case 401, 403 -> " — the provider refused the API key" + key + "; check it, or replace it with `warden secrets add "
          + (keyNameOrNull == null ? "NAME" : keyNameOrNull) + "`.";
      case 404 -> " — check the model or deployment name and the base URL in the model spec.";
      case 429 -> " — rate limited or out of quota; wait, raise the quota, or add a failover provider.";
      case 400, 413, 422 -> " — the provider rejected the request; see its message above.";
      default -> status >= 500 ? " — the provider failed; this is usually temporary." : "";
    };
  }

  /** {@code provider: POST url}, for the start of messages. */
  public String where(URI uri) {
    return provider + ": POST " + Endpoint.display(uri);
  }

  /** A one-line, bounded, key-free excerpt of {@code body}. */
  public static String excerpt(String body, String secretOrNull) {
    String s = body;
    if (secretOrNull != null && !secretOrNull.isEmpty()) {
      s = s.replace(secretOrNull, "[redacted]");
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < Limits.MAX_ERROR_EXCERPT_CHARS; i++) {
      char c = s.charAt(i);
      sb.append(Character.isISOControl(c) ? ' ' : c);
    }
    String out = sb.toString().strip();
    if (s.length() > Limits.MAX_ERROR_EXCERPT_CHARS) {
      out += "…";
    }
    return out.isEmpty() ? "(empty body)" : out;
  }

  /** Maps a failure while reading a 2xx body. */
  public ModelException readFailure(URI uri, IOException e) {
    if (Thread.currentThread().isInterrupted()) {
      // Cancelled by the caller: neither a retry nor the next provider is wanted.
      return new ModelException(where(uri) + " was interrupted while reading the response.", false, -1, e);
    }
    if (e instanceof GuardedInputStream.TooLargeIo || e instanceof SseReader.EventTooLargeIo) {
      return new ModelException(where(uri) + " failed: " + e.getMessage() + ". This bound protects the gateway;"
          + " lower maxOutputTokens if a legitimate reply is this large.", false, -1, e);
    }
    if (e instanceof GuardedInputStream.TimeoutIo) {
      return new ModelException(where(uri) + " failed while reading the response: " + e.getMessage() + ".", true, -1, e);
    }
    return new ModelException(where(uri) + " failed while reading the response: " + e + ".", true, -1, e);
  }

  /** A 2xx body that is not what the protocol says. */
  public ModelException malformed(URI uri, String what) {
    return new ModelException(where(uri) + " answered with a malformed response: " + what
        + ". Check that the base URL points at a server speaking this provider's protocol.", false, -1, null);
  }
}
