package dev.warden.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The hook's answer to a {@link WasmHttpRequest}, handed back to the tool.
 *
 * @param status HTTP status; a refusal by policy is a normal response (e.g. {@link #denied})
 * @param headers response headers
 * @param body response body (copied)
 */
public record WasmHttpResponse(int status, SortedMap<String, String> headers, byte[] body) {

  public WasmHttpResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be an HTTP status, got " + status);
    }
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(Objects.requireNonNull(headers, "headers"));
    for (var e : h.entrySet()) {
      if (e.getKey().contains("\n") || e.getValue().contains("\n") || e.getKey().contains(":")) {
        throw new IllegalArgumentException("header '" + e.getKey() + "' cannot be encoded for the tool");
      }
    }
    headers = Collections.unmodifiableSortedMap(h);
    body = Objects.requireNonNull(body, "body").clone();
  }

  public static WasmHttpResponse of(int status, String body) {
    return new WasmHttpResponse(status, new TreeMap<>(Map.of("Content-Type", "text/plain; charset=utf-8")),
        body.getBytes(StandardCharsets.UTF_8));
  }

  /** A refusal: 403 with the reason as the body. */
  public static WasmHttpResponse denied(String reason) {
    return of(403, "denied by Warden: " + reason);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WasmHttpResponse r && status == r.status && headers.equals(r.headers)
        && Arrays.equals(body, r.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, headers, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "WasmHttpResponse[" + status + ", " + headers.size() + " headers, " + body.length + " body bytes]";
  }
}
