package dev.warden.egress;

import dev.warden.egress.internal.Head;
import dev.warden.egress.internal.HttpInput;
import dev.warden.egress.internal.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal HTTP/1.1 client that can only reach what the {@link DestinationGuard} allows and that
 * connects to the address the guard checked — for the gateway's own requests such as the web_fetch
 * tool, where a general-purpose client would resolve the name again (and be open to DNS rebinding).
 *
 * <p>Guarantees: one DNS resolution per {@link #send}, through the guard, after the caller's kernel
 * decision; the TCP connection goes to {@link Destination#socketAddress()}; TLS is verified against
 * the JDK trust store and the URL's host name; redirects are <b>not</b> followed (a redirect is a new
 * destination, so the caller must submit it to the kernel as a new action); the response body is
 * read up to {@code maxBodyBytes} and then cut ({@link Response#truncated()}).
 *
 * <p>It does not scan the request for secrets: the caller runs {@link LeakScanner} on what it sends
 * (the egress proxy does this for sandboxes).
 */
public final class GuardedHttpClient {
  /** Default cap on response bodies read into memory. */
  public static final int DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

  private final DestinationGuard guard;
  private final SSLSocketFactory tls;

  public GuardedHttpClient(DestinationGuard guard) {
    this(guard, defaultTls());
  }

  /** With a custom TLS socket factory (tests that trust their own CA). */
  public GuardedHttpClient(DestinationGuard guard, SSLSocketFactory tls) {
    this.guard = Objects.requireNonNull(guard, "guard");
    this.tls = Objects.requireNonNull(tls, "tls");
  }

  private static SSLSocketFactory defaultTls() {
    try {
      return SSLContext.getDefault().getSocketFactory();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new dev.warden.kernel.WardenBugException("no default TLS context in this JDK", e);
    }
  }

  /**
   * The response to one request.
   *
   * @param status HTTP status
   * @param headers response header fields, names lower-cased, in order
   * @param body the body, decoded from chunked framing, at most the requested cap
   * @param truncated whether the body was cut at the cap
   * @param destination the checked destination that was connected to
   */
  public record Response(int status, Map<String, List<String>> headers, byte[] body, boolean truncated,
      Destination destination) {
    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String headerOrNull(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.getFirst();
    }
  }

  /**
   * Sends one request.
   *
   * @throws DestinationDeniedException if the guard refuses the destination (nothing was sent)
   * @throws IOException if the connection or the exchange failed
   */
  public Response send(String method, URI url, Map<String, String> headers, byte[] body, int maxBodyBytes)
      throws DestinationDeniedException, IOException {
    return send(method, url, guard.check(url), headers, body, maxBodyBytes);
  }

  /**
   * Sends one request to a destination that was already checked (the kernel's normaliser pins the
   * address it decided on): no second lookup happens here.
   */
  public Response send(String method, URI url, Destination d, Map<String, String> headers, byte[] body, int maxBodyBytes)
      throws IOException {
    Objects.requireNonNull(method, "method");
    if (!method.matches("[A-Z]{1,16}")) {
      throw new IllegalArgumentException("invalid HTTP method: " + method);
    }
    boolean https = url.getScheme().equalsIgnoreCase("https");
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    String hostHeader = d.host().contains(":") ? "[" + d.host() + "]" : d.host();
    if (url.getPort() != -1) {
      hostHeader += ":" + url.getPort();
    }
    StringBuilder h = new StringBuilder();
    h.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\n");
    for (Map.Entry<String, String> e : headers.entrySet()) {
      String n = e.getKey();
      String v = e.getValue();
      if (!n.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+") || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("invalid header " + n);
      }
      String lower = n.toLowerCase(Locale.ROOT);
      if (lower.equals("host") || lower.equals("content-length") || lower.equals("connection")
          || lower.equals("transfer-encoding")) {
        continue;
      }
      h.append(n).append(": ").append(v).append("\r\n");
    }
    if (body.length > 0 || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      h.append("Content-Length: ").append(body.length).append("\r\n");
    }
    h.append("Connection: close\r\n\r\n");

    try (Socket raw = new Socket()) {
      raw.connect(d.socketAddress(), EgressProxy.UPSTREAM_CONNECT_TIMEOUT_MILLIS);
      raw.setSoTimeout(EgressProxy.UPSTREAM_READ_TIMEOUT_MILLIS);
      Socket s = raw;
      if (https) {
        SSLSocket t = (SSLSocket) tls.createSocket(raw, d.host(), d.port(), true);
        SSLParameters p = t.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!d.host().contains(":") && !Character.isDigit(d.host().charAt(d.host().length() - 1))) {
          p.setServerNames(List.of(new SNIHostName(d.host())));
        }
        t.setSSLParameters(p);
        t.startHandshake();
        s = t;
      }
      OutputStream out = s.getOutputStream();
      out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      HttpInput in = new HttpInput(s.getInputStream());
      Head resp;
      int status;
      do {
        resp = in.readHead(EgressProxy.MAX_HEADER_BYTES, EgressProxy.MAX_HEADER_FIELDS);
        if (resp == null) {
          throw new IOException("server closed the connection without a response");
        }
        String[] sp = resp.startLine().split(" ", 3);
        if (sp.length < 2 || !sp[1].matches("[0-9]{3}")) {
          throw new IOException("malformed status line from " + d.host());
        }
        status = Integer.parseInt(sp[1]);
      } while (status >= 100 && status < 200);
      Map<String, List<String>> hs = new LinkedHashMap<>();
      for (Head.Header x : resp.headers()) {
        hs.computeIfAbsent(x.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(x.value());
      }
      Capped sink = new Capped(maxBodyBytes);
      boolean noBody = method.equals("HEAD") || status == 204 || status == 304;
      try {
        if (!noBody) {
          if (resp.hasToken("transfer-encoding", "chunked")) {
            in.decodeChunked(sink, Long.MAX_VALUE);
          } else if (!resp.all("content-length").isEmpty()) {
            in.copy(sink, HttpInput.contentLength(resp.all("content-length")));
          } else {
            in.copyToEnd(sink);
          }
        }
      } catch (Capped.Full full) {
        // cut at the cap; the connection is closed below
      } catch (ProtocolException e) {
        throw new IOException("malformed response from " + d.host() + ": " + e.getMessage(), e);
      }
      return new Response(status, hs, sink.bytes(), sink.full, d);
    } catch (ProtocolException e) {
      throw new IOException("malformed response from " + d.host() + ": " + e.getMessage(), e);
    }
  }

  /** Keeps the first {@code cap} bytes, then stops the copy. */
  private static final class Capped extends OutputStream {
    static final class Full extends IOException {
      Full() {
        super("response body cap reached");
      }
    }

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final int cap;
    boolean full;

    Capped(int cap) {
      this.cap = cap;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int room = cap - buf.size();
      if (len > room) {
        buf.write(b, off, Math.max(room, 0));
        full = true;
        throw new Full();
      }
      buf.write(b, off, len);
    }

    byte[] bytes() {
      return buf.toByteArray();
    }
  }
}
