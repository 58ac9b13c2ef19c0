package dev.warden.egress.internal;

import static dev.warden.egress.EgressProxy.MAX_IDLE_UPSTREAM_CONNECTIONS;
import static dev.warden.egress.EgressProxy.MAX_IDLE_UPSTREAM_CONNECTIONS_PER_DESTINATION;
import static dev.warden.egress.EgressProxy.UPSTREAM_CONNECT_TIMEOUT_MILLIS;
import static dev.warden.egress.EgressProxy.UPSTREAM_IDLE_TIMEOUT_MILLIS;
import static dev.warden.egress.EgressProxy.UPSTREAM_READ_TIMEOUT_MILLIS;

import dev.warden.egress.Destination;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Idle keep-alive connections to upstream servers.
 *
 * <p>Keyed by the pinned address, port, host name and TLS: a connection is only ever reused for the
 * same checked address and the same verified certificate name, so reuse never bypasses the guard
 * or TLS verification; each request on it is still checked and decided on its own. A connection
 * goes back to the pool only after a response whose framing was fully consumed with nothing left
 * over, and never after {@code Connection: close}.
 */
public final class UpstreamPool implements AutoCloseable {
  record Key(InetAddress address, int port, String host, boolean tls) {}

  /** One upstream connection with its reader and writer. */
  public static final class Conn {
    final Key key;
    final Socket socket;
    final HttpInput in;
    final OutputStream out;
    final boolean reused;
    long idleSinceMillis;

    Conn(Key key, Socket socket, boolean reused) throws IOException {
      this.key = key;
      this.socket = socket;
      this.in = new HttpInput(socket.getInputStream());
      this.out = new BufferedOutputStream(socket.getOutputStream(), HttpInput.BUFFER_BYTES);
      this.reused = reused;
    }

    private Conn(Conn idle) {
      this.key = idle.key;
      this.socket = idle.socket;
      this.in = idle.in;
      this.out = idle.out;
      this.reused = true;
    }

    void closeQuietly() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private final SSLSocketFactory tls;
  private final Map<Key, ConcurrentLinkedDeque<Conn>> idle = new ConcurrentHashMap<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private volatile boolean closed;

  public UpstreamPool(SSLSocketFactory tls) {
    this.tls = tls;
  }

  /** An idle connection to the destination, or null. */
  Conn takeIdle(Destination d, boolean useTls) {
    ConcurrentLinkedDeque<Conn> q = idle.get(new Key(d.address(), d.port(), d.host(), useTls));
    if (q == null) {
      return null;
    }
    Conn c;
    long now = System.currentTimeMillis();
    while ((c = q.pollFirst()) != null) {
      idleCount.decrementAndGet();
      if (now - c.idleSinceMillis < UPSTREAM_IDLE_TIMEOUT_MILLIS && !c.socket.isClosed()) {
        return new Conn(c);
      }
      c.closeQuietly();
    }
    return null;
  }

  /** A new connection to the pinned address; TLS verified against the destination's host name. */
  Conn open(Destination d, boolean useTls) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(d.socketAddress(), UPSTREAM_CONNECT_TIMEOUT_MILLIS);
      s.setSoTimeout(UPSTREAM_READ_TIMEOUT_MILLIS);
      s.setTcpNoDelay(true);
      if (useTls) {
        SSLSocket t = (SSLSocket) tls.createSocket(s, d.host(), d.port(), true);
        SSLParameters p = t.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!d.host().contains(":") && !Character.isDigit(d.host().charAt(d.host().length() - 1))) {
          p.setServerNames(List.of(new SNIHostName(d.host())));
        }
        t.setSSLParameters(p);
        t.startHandshake();
        s = t;
      }
      return new Conn(new Key(d.address(), d.port(), d.host(), useTls), s, false);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** Returns a connection whose last response was fully consumed; closes it if the pool is full. */
  void release(Conn c) {
    if (closed || c.in.drainBuffered().length != 0 || idleCount.get() >= MAX_IDLE_UPSTREAM_CONNECTIONS) {
      c.closeQuietly();
      return;
    }
    ConcurrentLinkedDeque<Conn> q = idle.computeIfAbsent(c.key, k -> new ConcurrentLinkedDeque<>());
    if (q.size() >= MAX_IDLE_UPSTREAM_CONNECTIONS_PER_DESTINATION) {
      c.closeQuietly();
      return;
    }
    c.idleSinceMillis = System.currentTimeMillis();
    idleCount.incrementAndGet();
    q.addFirst(c);
  }

  @Override
  public void close() {
    closed = true;
    for (ConcurrentLinkedDeque<Conn> q : idle.values()) {
      Conn c;
      while ((c = q.pollFirst()) != null) {
        c.closeQuietly();
      }
    }
    idle.clear();
  }
}
