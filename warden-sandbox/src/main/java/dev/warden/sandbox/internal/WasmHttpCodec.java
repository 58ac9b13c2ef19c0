package dev.warden.sandbox.internal;

import dev.warden.sandbox.WasmHttpRequest;
import dev.warden.sandbox.WasmHttpResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The wire format between a WASM tool and the {@code warden.http_request} host function: a small
 * HTTP/1-like text head and a raw body, so a tool in any language can build it without a JSON
 * library.
 *
 * <pre>
 * request:  METHOD SP URL LF (NAME ": " VALUE LF)* LF BODY
 * response: STATUS LF        (NAME ": " VALUE LF)* LF BODY
 * </pre>
 */
public final class WasmHttpCodec {

  /** Largest request a tool may hand over. */
  public static final int MAX_REQUEST_BYTES = 1 << 20;
  /** Most headers in a request. */
  public static final int MAX_HEADERS = 64;

  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,16}");
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}");

  private WasmHttpCodec() {}

  /** The request, or empty when it is malformed. */
  public static Optional<WasmHttpRequest> decode(byte[] raw) {
    int headEnd = indexOf(raw, new byte[] {'\n', '\n'});
    if (headEnd < 0) {
      return Optional.empty();
    }
    String head = new String(raw, 0, headEnd, StandardCharsets.UTF_8);
    byte[] body = Arrays.copyOfRange(raw, headEnd + 2, raw.length);
    String[] lines = head.split("\n", -1);
    String[] first = lines[0].split(" ", -1);
    if (first.length != 2 || !METHOD.matcher(first[0]).matches() || first[1].isEmpty()
        || lines.length - 1 > MAX_HEADERS) {
      return Optional.empty();
    }
    TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(": ");
      if (colon <= 0 || !HEADER_NAME.matcher(lines[i].substring(0, colon)).matches()) {
        return Optional.empty();
      }
      headers.put(lines[i].substring(0, colon), lines[i].substring(colon + 2));
    }
    return Optional.of(new WasmHttpRequest(first[0], first[1], headers, body));
  }

  public static byte[] encode(WasmHttpResponse response) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder head = new StringBuilder().append(response.status()).append('\n');
    response.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append('\n'));
    head.append('\n');
    out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    out.writeBytes(response.body());
    return out.toByteArray();
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
