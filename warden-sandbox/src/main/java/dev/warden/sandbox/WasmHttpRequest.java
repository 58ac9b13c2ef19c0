package dev.warden.sandbox;

import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An HTTP request a WASM tool asks the host to make. The host does not make it: the hook given to
 * {@link WasmSandbox#create} decides (the kernel's egress decision) and answers.
 *
 * @param method e.g. {@code GET}
 * @param url absolute URL as the tool wrote it (unvalidated: the hook parses and decides)
 * @param headers header names as written, case-insensitive order
 * @param body request body (copied)
 */
public record WasmHttpRequest(String method, String url, SortedMap<String, String> headers, byte[] body) {

  public WasmHttpRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(Objects.requireNonNull(headers, "headers"));
    headers = Collections.unmodifiableSortedMap(h);
    body = Objects.requireNonNull(body, "body").clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WasmHttpRequest r && method.equals(r.method) && url.equals(r.url)
        && headers.equals(r.headers) && Arrays.equals(body, r.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, url, headers, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "WasmHttpRequest[" + method + " " + url + ", " + headers.size() + " headers, " + body.length + " body bytes]";
  }
}
