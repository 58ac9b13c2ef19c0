package dev.warden.egress.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A request or response head: the start line and the header fields in order.
 *
 * @param startLine {@code GET http://x/ HTTP/1.1} or {@code HTTP/1.1 200 OK}
 * @param headers name/value pairs as received (names keep their case)
 */
public record Head(String startLine, List<Header> headers) {
  public record Header(String name, String value) {}

  /** Hop-by-hop fields a proxy must not forward (RFC 9110 section 7.6.1), plus Proxy-* and Expect. */
  public static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate",
      "te", "trailer", "transfer-encoding", "upgrade", "expect");

  public Head {
    headers = List.copyOf(headers);
  }

  public String first(String name) {
    for (Header h : headers) {
      if (h.name.equalsIgnoreCase(name)) {
        return h.value;
      }
    }
    return null;
  }

  public List<String> all(String name) {
    List<String> out = new ArrayList<>();
    for (Header h : headers) {
      if (h.name.equalsIgnoreCase(name)) {
        out.add(h.value);
      }
    }
    return out;
  }

  /** Whether a comma-separated field (Connection, Transfer-Encoding) contains {@code token}. */
  public boolean hasToken(String name, String token) {
    for (String v : all(name)) {
      for (String t : v.split(",")) {
        if (t.trim().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Headers minus hop-by-hop ones, including those the Connection field names. */
  public List<Header> endToEnd() {
    Set<String> drop = new java.util.HashSet<>(HOP_BY_HOP);
    for (String v : all("connection")) {
      for (String t : v.split(",")) {
        drop.add(t.trim().toLowerCase(Locale.ROOT));
      }
    }
    List<Header> out = new ArrayList<>();
    for (Header h : headers) {
      if (!drop.contains(h.name.toLowerCase(Locale.ROOT))) {
        out.add(h);
      }
    }
    return out;
  }
}
