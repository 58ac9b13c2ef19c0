package dev.warden.sandbox;

import static dev.warden.sandbox.TestSandboxes.bwrap;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network from the sandbox: with {@link NetworkAccess.Proxy} the only way out is the Unix socket.
 * The "proxy" here is a dumb relay from the socket to a loopback HTTP server, standing in for the
 * egress proxy, which is another component.
 */
class SandboxNetworkTest {

  @TempDir Path tmp;
  private HttpServer http;
  private ServerSocketChannel proxy;
  private Path socket;
  private final AtomicInteger proxied = new AtomicInteger();
  private final AtomicReference<String> lastRequestLine = new AtomicReference<>();
  private Path ws;

  @BeforeEach
  void start() throws IOException {
    ws = TestSandboxes.workspace(tmp);
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/", ex -> {
      lastRequestLine.set(ex.getRequestMethod() + " " + ex.getRequestURI());
      byte[] body = "hello-from-host\n".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
    });
    http.start();
    socket = tmp.resolve("proxy.sock");
    proxy = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    proxy.bind(UnixDomainSocketAddress.of(socket));
    // as root the sandbox connects as uid 65534
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
    Thread.ofVirtual().start(this::relay);
  }

  private void relay() {
    while (proxy.isOpen()) {
      try {
        SocketChannel client = proxy.accept();
        proxied.incrementAndGet();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), http.getAddress().getPort());
        pump(Channels.newInputStream(client), upstream.getOutputStream(), upstream);
        pump(upstream.getInputStream(), Channels.newOutputStream(client), client);
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void pump(InputStream in, OutputStream out, AutoCloseable closeAfter) {
    Thread.ofVirtual().start(() -> {
      try (closeAfter) {
        in.transferTo(out);
      } catch (Exception ignored) {
        // one side closed
      }
    });
  }

  @AfterEach
  void stop() throws IOException {
    http.stop(0);
    proxy.close();
  }

  private SandboxResult run(NetworkAccess network, String script) throws Exception {
    return bwrap().run(SandboxSpec.builder(ws, "/bin/sh", "-c", script)
        .network(network)
        .limits(Limits.DEFAULT.withWallTime(Duration.ofSeconds(20)))
        .build());
  }

  @Test
  void proxy_curlThroughForwarder_reachesHostServer() throws Exception {
    int port = http.getAddress().getPort();
    SandboxResult r = run(NetworkAccess.proxy(socket),
        "echo $HTTP_PROXY $HTTPS_PROXY \"[$NO_PROXY]\"; curl -sS --max-time 5 http://127.0.0.1:" + port + "/hello");
    assertThat(r.stdout()).as(r.stderr()).isEqualTo(
        "http://127.0.0.1:3128 http://127.0.0.1:3128 []\nhello-from-host\n");
    assertThat(proxied.get()).isEqualTo(1);
    assertThat(lastRequestLine.get()).endsWith("/hello");
  }

  @Test
  void proxy_directConnectionsStillFail() throws Exception {
    int port = http.getAddress().getPort();
    SandboxResult r = run(NetworkAccess.proxy(socket),
        "curl -sS --noproxy '*' --max-time 3 http://127.0.0.1:" + port + "/ ; echo direct=$?; "
            + "curl -sS --noproxy '*' --connect-timeout 3 http://192.0.2.1/ ; echo outside=$?");
    assertThat(r.stdout()).contains("direct=7").contains("outside=7").doesNotContain("hello-from-host");
    assertThat(lastRequestLine.get()).isNull();
  }

  @Test
  void proxy_onlyTheForwarderPortCanBeBound() throws Exception {
    SandboxResult r = run(NetworkAccess.proxy(socket),
        "python3 -c \"import socket; s=socket.socket(); s.bind(('127.0.0.1', 8080)); s.listen()\" 2>&1 | tail -1");
    assertThat(r.stdout()).contains("PermissionError");
  }

  @Test
  void none_noProxyVariablesAndNoForwarder() throws Exception {
    SandboxResult r = run(NetworkAccess.NONE,
        "env | grep -ci proxy; curl -sS --max-time 3 -x http://127.0.0.1:3128 http://example.test/ ; echo curl=$?");
    assertThat(r.stdout()).startsWith("0\n").contains("curl=7");
    assertThat(proxied.get()).isZero();
  }

  @Test
  void none_landlockRefusesEvenLoopbackBind() throws Exception {
    // Inside its own network namespace the sandbox could listen on its loopback; Landlock's
    // network wall refuses any TCP bind, proving the second wall is in force.
    SandboxResult r = run(NetworkAccess.NONE,
        "python3 -c \"import socket; s=socket.socket(); s.bind(('127.0.0.1', 9000)); s.listen()\" 2>&1 | tail -1");
    assertThat(r.stdout()).contains("PermissionError");
  }
}
