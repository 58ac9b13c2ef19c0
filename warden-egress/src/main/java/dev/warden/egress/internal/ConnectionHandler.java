package dev.warden.egress.internal;

import static dev.warden.egress.EgressProxy.CLIENT_IDLE_TIMEOUT_MILLIS;
import static dev.warden.egress.EgressProxy.MAX_BUFFERED_BODY_BYTES;
import static dev.warden.egress.EgressProxy.MAX_HEADER_BYTES;
import static dev.warden.egress.EgressProxy.MAX_HEADER_FIELDS;

import dev.warden.egress.AddressClass;
import dev.warden.egress.Destination;
import dev.warden.egress.DestinationDeniedException;
import dev.warden.egress.EgressRecord;
import dev.warden.egress.LeakScanner;
import dev.warden.kernel.Action;
import dev.warden.kernel.Decision;
import dev.warden.kernel.WardenSecurityException;
import dev.warden.vault.InsecureSecretAccess;
import dev.warden.vault.Injection;
import dev.warden.vault.SecretMetadata;
import dev.warden.vault.Vault;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import javax.net.ssl.SSLSocket;

/**
 * Serves one client connection of the egress proxy: a sequence of forward-proxy requests, or one
 * CONNECT that turns into a (usually TLS-intercepted) sequence of requests to one destination.
 *
 * <h2>Per request, in order</h2>
 * <ol>
 *   <li>read and bound the head and the whole body (bodies over the limit are refused, never
 *       streamed unscanned);
 *   <li>the destination checks that need no DNS (syntax, IP literals, metadata names);
 *   <li>placeholder check: every {@code wdn-cred:NAME} must name an active credential bound to the
 *       destination host, else the request is blocked and flagged as an alert;
 *   <li>leak scan of URL, headers (and decoded Basic credentials) and body, before injection;
 *   <li>the kernel's decision through the authorizer;
 *   <li>DNS resolution and address pinning (once per tunnel), with the full destination guard —
 *       after the decision, so a refused request never causes a DNS query;
 *   <li>injection, connection to the pinned address (TLS verified against the real host name),
 *       relay of the response (upstream connections are kept alive in an {@link UpstreamPool});
 *   <li>exactly one {@link EgressRecord} to the listener.
 * </ol>
 */
public final class ConnectionHandler implements Runnable {
  private static final String VIA = "egress-proxy";
  private static final java.util.regex.Pattern THREE_DIGITS = java.util.regex.Pattern.compile("[0-9]{3}");

  /** A CONNECT tunnel: one host and port; its address is resolved and pinned on first use. */
  private static final class Tunnel {
    final String host;
    final int port;
    final boolean tls;
    Destination pinnedOrNull;

    Tunnel(String host, int port, boolean tls, Destination pinnedOrNull) {
      this.host = host;
      this.port = port;
      this.tls = tls;
      this.pinnedOrNull = pinnedOrNull;
    }
  }

  /** Mutable per-request state that becomes the record. */
  private final class Exchange {
    final Instant startedAt = settings.clock().instant();
    final long startNanos = System.nanoTime();
    String method = "-";
    String scheme = "http";
    String host = "-";
    int port = 0;
    String path = "/";
    String address;
    long bytesUp;
    long bytesDown;
    int status;
    String verdict = "blocked";
    String rule = EgressRecord.RULE_PROTOCOL;
    String blockedReason;
    String error;
    final TreeSet<String> credentials = new TreeSet<>();
    boolean alert;

    void report() {
      EgressRecord r = new EgressRecord(startedAt, method, scheme, host, port, path, address, bytesUp, bytesDown, status,
          verdict, rule, blockedReason, error, credentials, Duration.ofNanos(System.nanoTime() - startNanos), alert);
      try {
        settings.listener().onExchange(r);
      } catch (RuntimeException listenerBug) {
        // Contract: listeners must not throw; a broken one must not break egress.
      }
    }
  }

  private final ProxySettings settings;
  private final Socket client;

  public ConnectionHandler(ProxySettings settings, Socket client) {
    this.settings = settings;
    this.client = client;
  }

  @Override
  public void run() {
    try (Socket c = client) {
      c.setSoTimeout(CLIENT_IDLE_TIMEOUT_MILLIS);
      c.setTcpNoDelay(true);
      serve(new HttpInput(c.getInputStream()), new BufferedOutputStream(c.getOutputStream(), HttpInput.BUFFER_BYTES), null);
    } catch (IOException clientGone) {
      // The client closed or timed out; nothing to answer.
    }
  }

  private void serve(HttpInput in, OutputStream out, Tunnel tunnel) throws IOException {
    while (true) {
      Head head;
      try {
        head = in.readHead(MAX_HEADER_BYTES, MAX_HEADER_FIELDS);
      } catch (ProtocolException e) {
        Exchange x = new Exchange();
        respondBlocked(out, x, e.status(), EgressRecord.RULE_PROTOCOL, e.getMessage(), true);
        return;
      }
      if (head == null) {
        return;
      }
      String[] parts = head.startLine().split(" ");
      if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
        Exchange x = new Exchange();
        respondBlocked(out, x, 400, EgressRecord.RULE_PROTOCOL, "malformed request line", true);
        return;
      }
      String method = parts[0].toUpperCase(Locale.ROOT);
      boolean http10 = parts[2].equals("HTTP/1.0");
      boolean clientWantsClose = http10
          ? !head.hasToken("connection", "keep-alive")
          : head.hasToken("connection", "close") || head.hasToken("proxy-connection", "close");
      if (method.equals("CONNECT")) {
        if (tunnel != null) {
          Exchange x = new Exchange();
          x.method = method;
          respondBlocked(out, x, 400, EgressRecord.RULE_PROTOCOL, "CONNECT inside a tunnel is not supported", true);
          return;
        }
        connect(parts[1], in, out);
        return;
      }
      boolean keepAlive = exchange(method, parts[1], head, in, out, tunnel);
      if (!keepAlive || clientWantsClose) {
        return;
      }
    }
  }

  // ------------------------------------------------------------------------------------------ CONNECT

  private void connect(String target, HttpInput in, OutputStream out) throws IOException {
    Exchange x = new Exchange();
    x.method = "CONNECT";
    x.scheme = "https";
    x.path = "";
    String host;
    int port;
    try {
      int colon = target.lastIndexOf(':');
      if (colon <= 0 || target.endsWith("]")) {
        throw new NumberFormatException();
      }
      host = target.substring(0, colon);
      port = Integer.parseInt(target.substring(colon + 1));
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
    } catch (NumberFormatException e) {
      respondBlocked(out, x, 400, EgressRecord.RULE_PROTOCOL, "CONNECT target must be host:port", true);
      return;
    }
    x.host = host.toLowerCase(Locale.ROOT);
    x.port = port;
    Optional<LeakScanner.Leak> leak = settings.leakScanner().scan(target);
    if (leak.isPresent()) {
      x.alert = true;
      respondBlocked(out, x, 403, EgressRecord.RULE_LEAK, "the CONNECT target carries a " + leak.get().description(), true);
      return;
    }
    Destination literalOrNull;
    try {
      // No DNS yet: the name is resolved only once a request inside the tunnel has been allowed.
      literalOrNull = settings.guard().precheck(host, port).orElse(null);
    } catch (DestinationDeniedException e) {
      x.alert = e.addressClass() == AddressClass.METADATA;
      respondBlocked(out, x, 403, EgressRecord.RULE_DESTINATION, e.getMessage(), true);
      return;
    }
    out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    int first = in.read();
    if (first < 0) {
      return;
    }
    byte[] rest = in.drainBuffered();
    byte[] prefix = new byte[rest.length + 1];
    prefix[0] = (byte) first;
    System.arraycopy(rest, 0, prefix, 1, rest.length);
    if (first != 0x16) {
      // Not a TLS handshake: plain HTTP inside the tunnel, served (and scanned) like forward requests.
      serve(new HttpInput(client.getInputStream(), prefix), out, new Tunnel(x.host, port, false, literalOrNull));
      return;
    }
    SSLSocket tls;
    try {
      tls = (SSLSocket) settings.ca().serverContextFor(x.host).getSocketFactory()
          .createSocket(client, new ByteArrayInputStream(prefix), true);
      tls.setUseClientMode(false);
      tls.startHandshake();
    } catch (WardenSecurityException | IOException e) {
      x.error = "TLS handshake with the client failed (does it trust the Warden CA? set SSL_CERT_FILE to "
          + settings.ca().bundlePath() + "): " + e.getMessage();
      x.verdict = "error";
      x.rule = EgressRecord.RULE_PROTOCOL;
      x.report();
      return;
    }
    serve(new HttpInput(tls.getInputStream()), new BufferedOutputStream(tls.getOutputStream(), HttpInput.BUFFER_BYTES),
        new Tunnel(x.host, port, true, literalOrNull));
  }

  // ----------------------------------------------------------------------------------------- requests

  /** Handles one request; returns whether the client connection can carry another. */
  private boolean exchange(String method, String target, Head head, HttpInput in, OutputStream out, Tunnel tunnel)
      throws IOException {
    Exchange x = new Exchange();
    x.method = method;
    String pathAndQuery;
    if (tunnel != null) {
      x.scheme = tunnel.tls ? "https" : "http";
      x.host = tunnel.host;
      x.port = tunnel.port;
      if (target.startsWith("/")) {
        if (parseOrNull(target) == null) {
          return refuseProtocol(out, x, "malformed request target");
        }
        pathAndQuery = target;
      } else {
        URI u = parseOrNull(target);
        if (u == null || u.getHost() == null || !u.getHost().equalsIgnoreCase(x.host)) {
          return refuseProtocol(out, x, "request target inside a tunnel must be a path or a URL of the tunnel's host");
        }
        pathAndQuery = originForm(u);
      }
    } else {
      URI u = parseOrNull(target);
      if (u == null || u.getScheme() == null || u.getHost() == null
          || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))) {
        return refuseProtocol(out, x, "this is Warden's egress proxy: send absolute http:// URLs, or CONNECT for https");
      }
      x.scheme = u.getScheme().toLowerCase(Locale.ROOT);
      x.host = u.getHost().toLowerCase(Locale.ROOT);
      if (x.host.startsWith("[")) {
        x.host = x.host.substring(1, x.host.length() - 1);
      }
      x.port = u.getPort() != -1 ? u.getPort() : x.scheme.equals("https") ? 443 : 80;
      pathAndQuery = originForm(u);
    }
    int q = pathAndQuery.indexOf('?');
    x.path = q >= 0 ? pathAndQuery.substring(0, q) : pathAndQuery;

    if (head.hasToken("expect", "100-continue")) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    byte[] body;
    try {
      body = in.readBody(head, MAX_BUFFERED_BODY_BYTES);
    } catch (ProtocolException e) {
      respondBlocked(out, x, e.status(), EgressRecord.RULE_PROTOCOL, e.getMessage(), true);
      return false;
    }
    boolean bodyFramed = !head.all("content-length").isEmpty() || !head.all("transfer-encoding").isEmpty();

    // 2. What the guard can say without DNS (a tunnel was prechecked at CONNECT).
    if (tunnel == null) {
      try {
        settings.guard().precheck(x.host, x.port);
      } catch (DestinationDeniedException e) {
        x.alert = e.addressClass() == AddressClass.METADATA;
        return respondBlocked(out, x, 403, EgressRecord.RULE_DESTINATION, e.getMessage(), false);
      }
    }
    String authority = authority(x.scheme, x.host, x.port);
    String url = x.scheme + "://" + authority + pathAndQuery;

    List<Head.Header> headers = new ArrayList<>();
    for (Head.Header h : head.endToEnd()) {
      if (!h.name().equalsIgnoreCase("host") && !h.name().equalsIgnoreCase("content-length")) {
        headers.add(h);
      }
    }
    String bodyLatin1 = new String(body, StandardCharsets.ISO_8859_1);

    // 3. Placeholders: each must name an active credential bound to this host.
    Set<String> names = new TreeSet<>();
    collect(url, names);
    for (Head.Header h : headers) {
      collect(h.value(), names);
      String basic = decodedBasicOrNull(h);
      if (basic != null) {
        collect(basic, names);
      }
    }
    collect(bodyLatin1, names);
    x.credentials.addAll(names);
    Vault vault = settings.vault();
    for (String name : names) {
      Optional<SecretMetadata> md;
      try {
        md = vault.metadata(name);
      } catch (WardenSecurityException e) {
        return respondBlocked(out, x, 503, EgressRecord.RULE_CREDENTIAL_UNKNOWN, "the vault is unavailable: " + e.getMessage(), false);
      }
      if (md.isEmpty()) {
        return respondBlocked(out, x, 403, EgressRecord.RULE_CREDENTIAL_UNKNOWN,
            "the request carries a placeholder for credential '" + name + "', which is not in the vault", false);
      }
      if (md.get().suspended()) {
        return respondBlocked(out, x, 403, EgressRecord.RULE_CREDENTIAL_SUSPENDED,
            "credential '" + name + "' is suspended", false);
      }
      if (!md.get().boundTo(x.host)) {
        x.alert = true;
        return respondBlocked(out, x, 403, EgressRecord.RULE_CREDENTIAL_UNBOUND,
            "the request carries a placeholder for credential '" + name + "' toward " + x.host
                + ", which is outside that credential's bindings " + md.get().hosts()
                + "; the attempt has been reported", false);
      }
    }

    // 4. Leak scan, before injection: nothing the client sent may carry a secret.
    LeakScanner scanner = settings.leakScanner();
    // The raw target keeps the client's spelling (host case included); the URL is what was understood.
    Optional<LeakScanner.Leak> leak = scanner.scan(target).or(() -> scanner.scan(url)).map(l -> withWhere(l, "URL"));
    for (int i = 0; leak.isEmpty() && i < headers.size(); i++) {
      Head.Header h = headers.get(i);
      String where = "header " + h.name();
      leak = scanner.scan(h.name() + ": " + h.value()).map(l -> withWhere(l, where));
      String basic = decodedBasicOrNull(h);
      if (leak.isEmpty() && basic != null) {
        leak = scanner.scan(basic).map(l -> withWhere(l, where));
      }
    }
    if (leak.isEmpty() && body.length > 0) {
      leak = scanner.scan(body).map(l -> withWhere(l, "body"));
      if (leak.isEmpty() && !head.all("content-encoding").isEmpty()) {
        byte[] decoded;
        try {
          decoded = decodeForScan(head, body);
        } catch (ProtocolException e) {
          return respondBlocked(out, x, e.status(), EgressRecord.RULE_LEAK, e.getMessage(), false);
        }
        leak = scanner.scan(decoded).map(l -> withWhere(l, "compressed body"));
      }
    }
    if (leak.isPresent()) {
      x.alert = true;
      return respondBlocked(out, x, 403, EgressRecord.RULE_LEAK,
          "the request carries a " + leak.get().description()
              + "; secrets leave Warden only as credentials injected toward their bound hosts", false);
    }

    // 5. The kernel decides.
    Map<String, String> headerMap = new LinkedHashMap<>();
    for (Head.Header h : headers) {
      headerMap.merge(h.name().toLowerCase(Locale.ROOT), h.value(), (a, b) -> a + ", " + b);
    }
    Decision decision;
    try {
      Action.Egress action = new Action.Egress(method, URI.create(url), headerMap,
          body.length == 0 ? null : new String(body, StandardCharsets.UTF_8), VIA);
      decision = settings.authorizer().authorize(action, Set.copyOf(names));
      if (decision == null) {
        throw new IllegalStateException("authorizer returned null");
      }
    } catch (RuntimeException e) {
      return respondBlocked(out, x, 403, EgressRecord.RULE_AUTHORIZER_ERROR,
          "the egress decision failed (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "); failing closed", false);
    }
    x.verdict = decision.verdict();
    x.rule = decision.rule();
    if (!(decision instanceof Decision.Allow)) {
      String reason = decision instanceof Decision.Ask
          ? "needs the owner's approval: " + decision.reason()
          : "denied: " + decision.reason();
      return respondBlocked(out, x, 403, decision.rule(), reason, false, x.verdict);
    }

    // 6. Only now resolve (once per tunnel) and pin: no DNS query for a request the kernel refused.
    Destination dest;
    try {
      if (tunnel != null && tunnel.pinnedOrNull != null) {
        dest = tunnel.pinnedOrNull;
      } else {
        dest = settings.guard().check(x.host, x.port);
        if (tunnel != null) {
          tunnel.pinnedOrNull = dest;
        }
      }
    } catch (DestinationDeniedException e) {
      x.alert = e.addressClass() == AddressClass.METADATA;
      return respondBlocked(out, x, 403, EgressRecord.RULE_DESTINATION, e.getMessage(), false, "blocked");
    }
    x.address = dest.address().getHostAddress();

    // 7. Inject.
    for (String name : names) {
      Injection inj;
      try {
        inj = vault.resolveForInjection(name, dest.host());
      } catch (WardenSecurityException e) {
        return respondBlocked(out, x, 503, EgressRecord.RULE_CREDENTIAL_UNKNOWN, "the vault is unavailable: " + e.getMessage(), false, "blocked");
      }
      if (!(inj instanceof Injection.Granted g)) {
        Injection.Refused r = (Injection.Refused) inj;
        x.alert = r.why() == Injection.Why.HOST_NOT_BOUND;
        return respondBlocked(out, x, 403, EgressRecord.RULE_CREDENTIAL_SUSPENDED, r.reason(), false, "blocked");
      }
      // The one place the proxy holds a credential in clear: written into this request only, toward
      // a host the credential is bound to, after the kernel allowed it.
      String value = g.value().utf8(InsecureSecretAccess.get());
      String ph = Vault.placeholder(name);
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
        for (Head.Header h : headers) {
          if (h.value().contains(ph) || (decodedBasicOrNull(h) != null && decodedBasicOrNull(h).contains(ph))) {
            return respondBlocked(out, x, 403, EgressRecord.RULE_PROTOCOL,
                "credential '" + name + "' contains a line break and cannot be placed in a header", false, "blocked");
          }
        }
      }
      pathAndQuery = pathAndQuery.replace(ph, value);
      List<Head.Header> injected = new ArrayList<>(headers.size());
      for (Head.Header h : headers) {
        String basic = decodedBasicOrNull(h);
        if (basic != null && basic.contains(ph)) {
          byte[] creds = basic.replace(ph, new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))
              .getBytes(StandardCharsets.ISO_8859_1);
          injected.add(new Head.Header(h.name(), "Basic " + Base64.getEncoder().encodeToString(creds)));
        } else {
          injected.add(new Head.Header(h.name(), h.value().replace(ph, value)));
        }
      }
      headers = injected;
      bodyLatin1 = bodyLatin1.replace(ph, new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }
    byte[] upstreamBody = names.isEmpty() ? body : bodyLatin1.getBytes(StandardCharsets.ISO_8859_1);

    // 8. Forward to the pinned address.
    return forward(x, method, pathAndQuery, authority, headers, upstreamBody, bodyFramed, dest, out);
  }

  /** Methods that may be retried on a fresh connection when a reused one turns out to be dead. */
  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

  private boolean forward(Exchange x, String method, String pathAndQuery, String authority, List<Head.Header> headers,
      byte[] body, boolean bodyFramed, Destination dest, OutputStream out) throws IOException {
    boolean tls = x.scheme.equals("https");
    boolean idempotent = IDEMPOTENT.contains(method);
    StringBuilder h = new StringBuilder(256);
    h.append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n");
    h.append("Host: ").append(authority).append("\r\n");
    for (Head.Header hd : headers) {
      h.append(hd.name()).append(": ").append(hd.value()).append("\r\n");
    }
    if (body.length > 0 || bodyFramed) {
      h.append("Content-Length: ").append(body.length).append("\r\n");
    }
    h.append("\r\n");
    byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);

    UpstreamPool pool = settings.upstreamPool();
    UpstreamPool.Conn conn = null;
    boolean headSent = false;
    try {
      Head resp = null;
      // Non-idempotent requests always get a fresh connection, so they never need a retry.
      conn = idempotent ? pool.takeIdle(dest, tls) : null;
      while (resp == null) {
        if (conn == null) {
          conn = pool.open(dest, tls);
        }
        try {
          conn.out.write(hb);
          conn.out.write(body);
          conn.out.flush();
          resp = readFinalHead(conn.in);
        } catch (IOException e) {
          if (!conn.reused) {
            throw e;
          }
          // A pooled connection the server had already closed: retry once on a new one.
          conn.closeQuietly();
          conn = null;
        }
      }
      x.bytesUp = hb.length + body.length;
      String[] sp = resp.startLine().split(" ", 3);
      int status = Integer.parseInt(sp[1]);
      if (status == 101) {
        throw new ProtocolException(502, "upstream switched protocols, which the egress proxy does not relay");
      }
      x.status = status;
      boolean noBody = method.equals("HEAD") || status == 204 || status == 304;
      boolean chunked = resp.hasToken("transfer-encoding", "chunked");
      List<String> cl = resp.all("content-length");
      long length = chunked || cl.isEmpty() ? -1 : HttpInput.contentLength(cl);
      boolean closeAfter = !noBody && !chunked && length < 0;
      boolean upstreamReusable = !closeAfter && sp[0].equals("HTTP/1.1") && !resp.hasToken("connection", "close");
      StringBuilder rh = new StringBuilder(256);
      rh.append("HTTP/1.1 ").append(status).append(' ').append(sp.length == 3 ? sp[2] : "").append("\r\n");
      for (Head.Header hd : resp.endToEnd()) {
        if (chunked && hd.name().equalsIgnoreCase("content-length")) {
          continue;
        }
        rh.append(hd.name()).append(": ").append(hd.value()).append("\r\n");
      }
      if (chunked && !noBody) {
        rh.append("Transfer-Encoding: chunked\r\n");
      }
      if (closeAfter) {
        rh.append("Connection: close\r\n");
      }
      rh.append("\r\n");
      byte[] rhb = rh.toString().getBytes(StandardCharsets.ISO_8859_1);
      out.write(rhb);
      headSent = true;
      long down = rhb.length;
      if (!noBody) {
        if (chunked) {
          down += conn.in.relayChunked(out);
        } else if (length >= 0) {
          down += conn.in.copy(out, length);
        } else {
          down += conn.in.copyToEnd(out);
        }
      }
      out.flush();
      x.bytesDown = down;
      if (upstreamReusable) {
        pool.release(conn);
      } else {
        conn.closeQuietly();
      }
      conn = null;
      x.report();
      return !closeAfter;
    } catch (IOException | ProtocolException | RuntimeException e) {
      x.error = "upstream " + dest.host() + ":" + dest.port() + " (" + dest.address().getHostAddress() + "): "
          + e.getClass().getSimpleName() + ": " + e.getMessage();
      if (headSent) {
        // Mid-body failure: the response cannot be completed, so the connection must end.
        x.report();
        throw new IOException("upstream failed mid-response", e);
      }
      x.status = 502;
      byte[] msg = ("Warden egress proxy could not complete the request.\nerror: " + x.error + "\n")
          .getBytes(StandardCharsets.UTF_8);
      x.bytesDown = msg.length;
      x.report();
      writeSimple(out, 502, "Bad Gateway", msg, false, null);
      return true;
    } finally {
      if (conn != null) {
        conn.closeQuietly();
      }
    }
  }

  /** Reads response heads until a final (non-1xx) one; interim responses are dropped. */
  private static Head readFinalHead(HttpInput in) throws IOException, ProtocolException {
    while (true) {
      Head resp = in.readHead(MAX_HEADER_BYTES, MAX_HEADER_FIELDS);
      if (resp == null) {
        throw new java.io.EOFException("upstream closed the connection without a response");
      }
      String[] sp = resp.startLine().split(" ", 3);
      if (sp.length < 2 || !sp[0].startsWith("HTTP/1.") || !THREE_DIGITS.matcher(sp[1]).matches()) {
        throw new ProtocolException(502, "upstream sent a malformed status line");
      }
      int status = Integer.parseInt(sp[1]);
      if (status >= 200 || status == 101) {
        return resp;
      }
    }
  }

  // ------------------------------------------------------------------------------------------ helpers

  /**
   * The body with its Content-Encoding undone, so compression cannot hide a secret from the scan.
   * Unknown encodings are refused: a body Warden cannot read is a body Warden cannot vouch for.
   */
  private static byte[] decodeForScan(Head head, byte[] body) throws ProtocolException {
    byte[] cur = body;
    List<String> codings = new ArrayList<>();
    for (String v : head.all("content-encoding")) {
      for (String t : v.split(",")) {
        if (!t.isBlank()) {
          codings.add(t.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    for (int i = codings.size() - 1; i >= 0; i--) {
      String c = codings.get(i);
      try {
        java.io.InputStream in = switch (c) {
          case "identity" -> null;
          case "gzip", "x-gzip" -> new java.util.zip.GZIPInputStream(new ByteArrayInputStream(cur));
          case "deflate" -> new java.util.zip.InflaterInputStream(new ByteArrayInputStream(cur));
          default -> throw new ProtocolException(415, "request body has Content-Encoding '" + c
              + "', which the egress proxy cannot decode for its leak scan; send it as gzip, deflate or uncompressed");
        };
        if (in == null) {
          continue;
        }
        try (in) {
          // Bounded like any buffered body, so a decompression bomb stops at the limit.
          cur = in.readNBytes(MAX_BUFFERED_BODY_BYTES + 1);
        }
        if (cur.length > MAX_BUFFERED_BODY_BYTES) {
          throw new ProtocolException(413, "decompressed request body exceeds the " + MAX_BUFFERED_BODY_BYTES
              + "-byte limit of what the egress proxy scans");
        }
      } catch (IOException e) {
        throw new ProtocolException(400, "request body is not valid " + c + " (" + e.getMessage() + "); cannot scan it");
      }
    }
    return cur;
  }

  private static LeakScanner.Leak withWhere(LeakScanner.Leak l, String where) {
    return new LeakScanner.Leak(l.kind(), l.description() + " in the " + where);
  }

  private static void collect(String text, Set<String> names) {
    if (!text.contains(Vault.PLACEHOLDER_PREFIX)) {
      return;
    }
    Matcher m = Vault.PLACEHOLDER_PATTERN.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
  }

  /** The decoded credentials of an {@code Authorization: Basic} header (Latin-1 view), or null. */
  private static String decodedBasicOrNull(Head.Header h) {
    if (!h.name().equalsIgnoreCase("authorization")) {
      return null;
    }
    String v = h.value().trim();
    if (v.length() < 6 || !v.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      return new String(Base64.getDecoder().decode(v.substring(6).trim()), StandardCharsets.ISO_8859_1);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static URI parseOrNull(String target) {
    try {
      return new URI(target);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String originForm(URI u) {
    String p = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    return u.getRawQuery() == null ? p : p + "?" + u.getRawQuery();
  }

  private static String authority(String scheme, String host, int port) {
    String h = host.contains(":") ? "[" + host + "]" : host;
    boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return defaultPort ? h : h + ":" + port;
  }

  private boolean refuseProtocol(OutputStream out, Exchange x, String reason) throws IOException {
    respondBlocked(out, x, 400, EgressRecord.RULE_PROTOCOL, reason, true);
    return false;
  }

  private boolean respondBlocked(OutputStream out, Exchange x, int status, String rule, String reason, boolean close)
      throws IOException {
    boolean keep = respondBlocked(out, x, status, rule, reason, close, "blocked");
    return keep;
  }

  /** Answers with a plain-text refusal, records it, and returns whether the connection may continue. */
  private boolean respondBlocked(OutputStream out, Exchange x, int status, String rule, String reason, boolean close,
      String verdict) throws IOException {
    x.verdict = verdict;
    x.rule = rule;
    x.blockedReason = reason;
    x.status = status;
    byte[] body = ("Warden egress proxy blocked this request.\nreason: " + reason + "\nrule: " + rule + "\n")
        .getBytes(StandardCharsets.UTF_8);
    x.bytesDown = body.length;
    x.report(); // before the client sees the answer, so the record is never behind the client
    writeSimple(out, status, reasonPhrase(status), body, close, rule);
    return !close;
  }

  private static void writeSimple(OutputStream out, int status, String phrase, byte[] body, boolean close, String rule)
      throws IOException {
    StringBuilder h = new StringBuilder();
    h.append("HTTP/1.1 ").append(status).append(' ').append(phrase).append("\r\n");
    h.append("Content-Type: text/plain; charset=utf-8\r\n");
    h.append("Content-Length: ").append(body.length).append("\r\n");
    if (rule != null) {
      h.append("X-Warden-Rule: ").append(rule).append("\r\n");
    }
    if (close) {
      h.append("Connection: close\r\n");
    }
    h.append("\r\n");
    out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  private static String reasonPhrase(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 431 -> "Request Header Fields Too Large";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "Error";
    };
  }
}
