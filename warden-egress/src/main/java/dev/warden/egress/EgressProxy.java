package dev.warden.egress;

import dev.warden.egress.internal.ConnectionHandler;
import dev.warden.egress.internal.ProxySettings;
import dev.warden.egress.internal.UpstreamPool;
import dev.warden.kernel.WardenSecurityException;
import dev.warden.vault.Vault;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Warden's egress proxy: the only way out for sandboxed processes.
 *
 * <p>An HTTP/1.1 forward proxy (absolute-URI requests) and CONNECT with TLS interception, listening
 * on 127.0.0.1 and, optionally, on a Unix domain socket that is bound into sandboxes. Each request
 * is checked by the {@link DestinationGuard}, its credential placeholders are checked against their
 * bindings, it is scanned for leaks, decided by the kernel through the {@link EgressAuthorizer},
 * then sent — with credentials injected — to the address the guard pinned; see
 * {@code ConnectionHandler} for the exact order. One {@link EgressRecord} per request goes to the
 * {@link EgressListener}.
 *
 * <h2>Design notes</h2>
 * <p>Concurrency: one virtual thread per client connection; at most
 * {@link #MAX_CONCURRENT_CONNECTIONS} at once, further connections get 503 and are closed. Upstream
 * connections are kept alive and reused only for the same pinned address, port, host name and TLS
 * (so reuse never skips the guard or certificate verification); every request on a reused
 * connection is still checked and decided on its own. Non-idempotent requests always use a fresh
 * upstream connection.
 *
 * <p>Failure: every refusal is a response with a plain-text body naming the reason and the rule
 * (403 for policy, 400/413/431/501 for protocol limits, 502 for upstream failures). Request bodies
 * are buffered whole (up to {@link #MAX_BUFFERED_BODY_BYTES}) because they must be scanned before
 * anything is sent; larger bodies are refused with 413, never streamed unscanned. Responses are
 * streamed and not scanned (inbound data is labelled untrusted by the kernel instead).
 *
 * <p>Threats: the Unix socket is made connectable by every local user (mode 0666) because
 * sandboxes run as an unprivileged uid; who can reach it is decided by where its directory is
 * visible (bind-mounted into sandboxes, mode 0700 elsewhere), and every request through it is still
 * checked like any other. The socket is served by relaying to the TCP listener, because the JDK can
 * layer TLS only over {@link Socket}, which Unix-domain channels do not provide.
 */
public final class EgressProxy implements AutoCloseable {
  /** Upper bound on a request or response head (start line and all header fields). */
  public static final int MAX_HEADER_BYTES = 64 * 1024;
  /** Upper bound on the number of header fields in one head. */
  public static final int MAX_HEADER_FIELDS = 128;
  /** Request bodies are buffered for the leak scan up to this size; larger ones get 413. */
  public static final int MAX_BUFFERED_BODY_BYTES = 8 * 1024 * 1024;
  /** Client connections served at once; more are answered 503 and closed. */
  public static final int MAX_CONCURRENT_CONNECTIONS = 256;
  /** How long a client connection may sit idle (between or inside requests). */
  public static final int CLIENT_IDLE_TIMEOUT_MILLIS = 60_000;
  /** Time allowed to open the TCP connection to the upstream server. */
  public static final int UPSTREAM_CONNECT_TIMEOUT_MILLIS = 10_000;
  /** Longest silence allowed while waiting for upstream bytes. */
  public static final int UPSTREAM_READ_TIMEOUT_MILLIS = 60_000;
  /** How long an idle keep-alive upstream connection is kept for reuse. */
  public static final int UPSTREAM_IDLE_TIMEOUT_MILLIS = 30_000;
  /** Idle upstream connections kept per destination (pinned address, port, host, TLS). */
  public static final int MAX_IDLE_UPSTREAM_CONNECTIONS_PER_DESTINATION = 16;
  /** Idle upstream connections kept in total. */
  public static final int MAX_IDLE_UPSTREAM_CONNECTIONS = 256;
  /** Accept queue length of the listeners. */
  public static final int ACCEPT_BACKLOG = 512;

  private final ProxySettings settings;
  private final ServerSocket tcp;
  private final @Nullable ServerSocketChannel unix;
  private final @Nullable Path unixPath;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore slots = new Semaphore(MAX_CONCURRENT_CONNECTIONS);
  private volatile boolean closed;

  private EgressProxy(ProxySettings settings, ServerSocket tcp, @Nullable ServerSocketChannel unix, @Nullable Path unixPath) {
    this.settings = settings;
    this.tcp = tcp;
    this.unix = unix;
    this.unixPath = unixPath;
  }

  public static Builder builder(CertificateAuthority ca, Vault vault) {
    return new Builder(ca, vault);
  }

  /** The TCP port on 127.0.0.1. */
  public int port() {
    return tcp.getLocalPort();
  }

  /** {@code http://127.0.0.1:PORT}, for HTTP_PROXY on the host side. */
  public URI proxyUri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** The Unix socket path, if one was configured. */
  public Optional<Path> unixSocketPath() {
    return Optional.ofNullable(unixPath);
  }

  public CertificateAuthority certificateAuthority() {
    return settings.ca();
  }

  /**
   * The environment a client (a sandboxed process) needs to use the proxy and trust its CA.
   *
   * @param proxyUrl the proxy as the client reaches it, e.g. {@code http://127.0.0.1:3128}
   * @param caCertPath path of {@link CertificateAuthority#CERT_FILE} as the client sees it
   * @param caBundlePath path of {@link CertificateAuthority#BUNDLE_FILE} as the client sees it
   */
  public static Map<String, String> clientEnvironment(String proxyUrl, String caCertPath, String caBundlePath) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String k : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy")) {
      env.put(k, proxyUrl);
    }
    env.put("NO_PROXY", "");
    env.put("no_proxy", "");
    env.put("SSL_CERT_FILE", caBundlePath);
    env.put("CURL_CA_BUNDLE", caBundlePath);
    env.put("REQUESTS_CA_BUNDLE", caBundlePath);
    env.put("GIT_SSL_CAINFO", caBundlePath);
    env.put("NODE_EXTRA_CA_CERTS", caCertPath);
    return env;
  }

  private void start() {
    Thread.ofPlatform().daemon().name("warden-egress-accept-tcp").start(this::acceptTcp);
    if (unix != null) {
      Thread.ofPlatform().daemon().name("warden-egress-accept-unix").start(this::acceptUnix);
    }
  }

  private void acceptTcp() {
    while (!closed) {
      Socket s;
      try {
        s = tcp.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      if (!slots.tryAcquire()) {
        refuseBusy(s);
        continue;
      }
      threads.execute(() -> {
        try {
          new ConnectionHandler(settings, s).run();
        } finally {
          slots.release();
        }
      });
    }
  }

  private static void refuseBusy(Socket s) {
    try (s) {
      byte[] body = ("Warden egress proxy is at its limit of " + MAX_CONCURRENT_CONNECTIONS
          + " concurrent connections; retry shortly\n").getBytes(StandardCharsets.UTF_8);
      s.getOutputStream().write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
          + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().write(body);
    } catch (IOException ignored) {
      // the client is gone already
    }
  }

  private void acceptUnix() {
    while (!closed) {
      SocketChannel ch;
      try {
        ch = unix.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      threads.execute(() -> bridge(ch));
    }
  }

  /** Relays a Unix-socket client to the TCP listener (see the class notes for why). */
  private void bridge(SocketChannel ch) {
    try (ch; Socket t = new Socket(InetAddress.getLoopbackAddress(), port())) {
      t.setTcpNoDelay(true);
      InputStream fromClient = Channels.newInputStream(ch);
      OutputStream toClient = Channels.newOutputStream(ch);
      Thread up = Thread.ofVirtual().start(() -> {
        try {
          fromClient.transferTo(t.getOutputStream());
          t.shutdownOutput();
        } catch (IOException ignored) {
          // either side closed
        }
      });
      try {
        t.getInputStream().transferTo(toClient);
      } finally {
        ch.shutdownOutput();
        up.join(CLIENT_IDLE_TIMEOUT_MILLIS);
      }
    } catch (IOException | InterruptedException ignored) {
      // either side closed
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      tcp.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    if (unix != null) {
      try {
        unix.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      try {
        Files.deleteIfExists(unixPath);
      } catch (IOException ignored) {
        // a stale socket file is replaced on the next start
      }
    }
    threads.shutdownNow();
    settings.upstreamPool().close();
  }

  @Override
  public String toString() {
    return "EgressProxy[127.0.0.1:" + port() + (unixPath == null ? "" : ", " + unixPath) + "]";
  }

  /** Configures and starts a proxy. Only the CA, the vault and the authorizer are required. */
  public static final class Builder {
    private final CertificateAuthority ca;
    private final Vault vault;
    private DestinationGuard guard = DestinationGuard.publicOnly();
    private @Nullable EgressAuthorizer authorizer;
    private EgressListener listener = EgressListener.NONE;
    private int port;
    private @Nullable Path unixSocket;
    private final List<X509Certificate> extraUpstreamRoots = new ArrayList<>();
    private InstantSource clock = InstantSource.system();

    private Builder(CertificateAuthority ca, Vault vault) {
      this.ca = Objects.requireNonNull(ca, "ca");
      this.vault = Objects.requireNonNull(vault, "vault");
    }

    public Builder guard(DestinationGuard g) {
      this.guard = Objects.requireNonNull(g, "guard");
      return this;
    }

    public Builder authorizer(EgressAuthorizer a) {
      this.authorizer = Objects.requireNonNull(a, "authorizer");
      return this;
    }

    public Builder listener(EgressListener l) {
      this.listener = Objects.requireNonNull(l, "listener");
      return this;
    }

    /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder port(int p) {
      if (p < 0 || p > 65535) {
        throw new IllegalArgumentException("port out of range: " + p);
      }
      this.port = p;
      return this;
    }

    /** Also listen on this Unix domain socket path (a stale socket file there is replaced). */
    public Builder unixSocket(Path path) {
      this.unixSocket = Objects.requireNonNull(path, "path");
      return this;
    }

    public Builder clock(InstantSource c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /**
     * Trusts {@code root} for upstream TLS in addition to the JDK trust store. For tests that run an
     * HTTPS server with their own CA; never for production (it widens whom the proxy believes).
     */
    public Builder unsafeAlsoTrustUpstreamRoot(X509Certificate root) {
      extraUpstreamRoots.add(Objects.requireNonNull(root, "root"));
      return this;
    }

    /** Binds the listeners and starts serving. */
    public EgressProxy start() throws WardenSecurityException {
      if (authorizer == null) {
        throw new IllegalStateException("an EgressAuthorizer is required: wire it to the kernel (Kernel.submit)");
      }
      SSLSocketFactory upstreamTls = upstreamTls();
      ProxySettings s = new ProxySettings(ca, vault, guard, authorizer, listener,
          new LeakScanner(vault::redactor), new UpstreamPool(upstreamTls), clock);
      ServerSocket tcp;
      try {
        tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), ACCEPT_BACKLOG);
      } catch (IOException e) {
        throw new WardenSecurityException("egress proxy cannot listen on 127.0.0.1:" + port + ": " + e.getMessage()
            + "; choose another port or stop the process using it", e);
      }
      ServerSocketChannel unix = null;
      if (unixSocket != null) {
        try {
          if (Files.exists(unixSocket, LinkOption.NOFOLLOW_LINKS)) {
            Object mode = Files.getAttribute(unixSocket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (!(mode instanceof Integer m) || (m & 0170000) != 0140000) {
              throw new WardenSecurityException("egress proxy socket path " + unixSocket
                  + " exists and is not a socket; remove it or choose another path");
            }
            Files.delete(unixSocket);
          }
          Files.createDirectories(unixSocket.toAbsolutePath().getParent());
          unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
          unix.bind(UnixDomainSocketAddress.of(unixSocket), ACCEPT_BACKLOG);
          Files.setPosixFilePermissions(unixSocket, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException | UnsupportedOperationException e) {
          try {
            tcp.close();
          } catch (IOException ignored) {
            // failing anyway
          }
          throw new WardenSecurityException("egress proxy cannot listen on Unix socket " + unixSocket + ": "
              + e.getMessage(), e);
        }
      }
      EgressProxy p = new EgressProxy(s, tcp, unix, unixSocket);
      p.start();
      return p;
    }

    private SSLSocketFactory upstreamTls() throws WardenSecurityException {
      try {
        if (extraUpstreamRoots.isEmpty()) {
          return SSLContext.getDefault().getSocketFactory();
        }
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (var tm : jdk.getTrustManagers()) {
          if (tm instanceof X509TrustManager x) {
            for (X509Certificate c : x.getAcceptedIssuers()) {
              ks.setCertificateEntry("jdk-" + i++, c);
            }
          }
        }
        for (X509Certificate c : extraUpstreamRoots) {
          ks.setCertificateEntry("extra-" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
      } catch (GeneralSecurityException | IOException e) {
        throw new WardenSecurityException("cannot set up upstream TLS trust: " + e.getMessage(), e);
      }
    }
  }
}
