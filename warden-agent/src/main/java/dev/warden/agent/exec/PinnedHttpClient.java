package dev.warden.agent.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A small HTTP/1.1 client that connects to an address that was already checked, never resolving
 * the host again. Written here because {@code java.net.http.HttpClient} always resolves the host
 * itself, which is exactly the second lookup DNS rebinding exploits. TLS still verifies the
 * certificate against the host name (SNI + endpoint identification), so pinning never weakens TLS.
 */
public final class PinnedHttpClient {

  /** Largest response body read; the rest is cut and the response marked truncated. */
  public static final int MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
  /** Largest response head (status line + headers). */
  public static final int MAX_HEAD_BYTES = 64 * 1024;

  public record Response(int status, Map<String, String> headers, byte[] body, boolean truncated) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final SSLContext ssl;
  private final Duration timeout;

  public PinnedHttpClient(SSLContext ssl, Duration timeout) {
    this.ssl = ssl;
    this.timeout = timeout;
  }

  public static PinnedHttpClient withDefaultTrust(Duration timeout) {
    try {
      return new PinnedHttpClient(SSLContext.getDefault(), timeout);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default TLS context", e);
    }
  }

  public Response send(String method, URI url, InetSocketAddress pinned, Map<String, String> headers, byte[] bodyOrNull)
      throws IOException {
    boolean https = "https".equalsIgnoreCase(url.getScheme());
    String host = url.getHost();
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    Socket plain = new Socket();
    plain.connect(pinned, millis);
    plain.setSoTimeout(millis);
    Socket socket = plain;
    try {
      if (https) {
        SSLSocket tls = (SSLSocket) ssl.getSocketFactory().createSocket(plain, host, pinned.getPort(), true);
        SSLParameters p = tls.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
          p.setServerNames(List.of(new SNIHostName(host)));
        }
        tls.setSSLParameters(p);
        tls.startHandshake();
        socket = tls;
      }
      String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
      if (url.getRawQuery() != null) {
        path += "?" + url.getRawQuery();
      }
      StringBuilder req = new StringBuilder();
      req.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      int port = url.getPort();
      req.append("Host: ").append(host.contains(":") ? "[" + host + "]" : host).append(port == -1 ? "" : ":" + port).append("\r\n");
      req.append("Connection: close\r\n");
      req.append("Accept-Encoding: identity\r\n");
      boolean ua = false;
      for (Map.Entry<String, String> h : headers.entrySet()) {
        String n = h.getKey();
        if (n.equalsIgnoreCase("host") || n.equalsIgnoreCase("connection") || n.equalsIgnoreCase("content-length")
            || n.equalsIgnoreCase("transfer-encoding") || n.contains("\r") || n.contains("\n") || h.getValue().contains("\r")
            || h.getValue().contains("\n")) {
          continue;
        }
        ua |= n.equalsIgnoreCase("user-agent");
        req.append(n).append(": ").append(h.getValue()).append("\r\n");
      }
      if (!ua) {
        req.append("User-Agent: Warden/0.1\r\n");
      }
      if (bodyOrNull != null) {
        req.append("Content-Length: ").append(bodyOrNull.length).append("\r\n");
      }
      req.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (bodyOrNull != null) {
        out.write(bodyOrNull);
      }
      out.flush();
      return read(socket.getInputStream(), method.equals("HEAD"));
    } finally {
      socket.close();
    }
  }

  private static Response read(InputStream in, boolean head) throws IOException {
    String statusLine = line(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x response: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    int headBytes = statusLine.length();
    for (String l = line(in); !l.isEmpty(); l = line(in)) {
      headBytes += l.length();
      if (headBytes > MAX_HEAD_BYTES) {
        throw new IOException("response headers exceed " + MAX_HEAD_BYTES + " bytes");
      }
      int c = l.indexOf(':');
      if (c > 0) {
        headers.merge(l.substring(0, c).strip().toLowerCase(Locale.ROOT), l.substring(c + 1).strip(), (a, b) -> a + ", " + b);
      }
    }
    if (head || status == 204 || status == 304 || status / 100 == 1) {
      return new Response(status, headers, new byte[0], false);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean truncated;
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
      truncated = false;
      while (true) {
        String sizeLine = line(in);
        int semi = sizeLine.indexOf(';');
        int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).strip(), 16);
        if (size == 0) {
          break;
        }
        if (body.size() + size > MAX_RESPONSE_BYTES) {
          copy(in, body, MAX_RESPONSE_BYTES - body.size());
          truncated = true;
          break;
        }
        copy(in, body, size);
        line(in);
      }
    } else if (headers.containsKey("content-length")) {
      long len = Long.parseLong(headers.get("content-length"));
      copy(in, body, (int) Math.min(len, MAX_RESPONSE_BYTES));
      truncated = len > MAX_RESPONSE_BYTES;
    } else {
      byte[] b = in.readNBytes(MAX_RESPONSE_BYTES);
      body.write(b);
      truncated = b.length == MAX_RESPONSE_BYTES && in.read() != -1;
    }
    return new Response(status, headers, body.toByteArray(), truncated);
  }

  private static void copy(InputStream in, ByteArrayOutputStream out, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    out.write(b);
    if (b.length < n) {
      throw new IOException("connection closed after " + b.length + " of " + n + " body bytes");
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        sb.append((char) c);
      }
      if (sb.length() > MAX_HEAD_BYTES) {
        throw new IOException("response line too long");
      }
    }
    return sb.toString();
  }
}
