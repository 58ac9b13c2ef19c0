package dev.warden.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.vault.HostPattern;
import dev.warden.vault.Vault;
import dev.warden.vault.VaultKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstream keep-alive as seen from a raw upstream server that counts its connections. */
class UpstreamPoolTest {
  @TempDir Path tmp;

  ServerSocket server;
  final AtomicInteger accepted = new AtomicInteger();
  volatile boolean closeAfterEachResponse;
  EgressProxy proxy;

  void startUpstream() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          accepted.incrementAndGet();
          Thread.ofVirtual().start(() -> serve(s));
        } catch (IOException e) {
          return;
        }
      }
    });
  }

  void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (true) {
        StringBuilder head = new StringBuilder();
        int c;
        while (!head.toString().endsWith("\r\n\r\n") && (c = in.read()) != -1) {
          head.append((char) c);
        }
        if (!head.toString().endsWith("\r\n\r\n")) {
          return;
        }
        String lenLine = head.toString().lines().filter(l -> l.toLowerCase().startsWith("content-length:")).findFirst().orElse(null);
        if (lenLine != null) {
          in.readNBytes(Integer.parseInt(lenLine.substring(15).trim()));
        }
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (closeAfterEachResponse) {
          return; // closes without announcing it: the proxy's pooled connection is now dead
        }
      }
    } catch (IOException e) {
      // client gone
    }
  }

  HttpResponse<String> get(HttpClient c, String method) throws Exception {
    URI u = URI.create("http://up.test:" + server.getLocalPort() + "/x");
    HttpRequest.Builder b = HttpRequest.newBuilder(u);
    b = method.equals("POST") ? b.POST(HttpRequest.BodyPublishers.ofString("a=1")) : b.GET();
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpClient client() throws Exception {
    startUpstream();
    Path vdir = tmp.resolve("vault");
    Vault vault = Vault.open(vdir, VaultKey.fromFile(vdir.resolve("k")));
    Resolver r = h -> List.of(InetAddress.getByAddress(h, new byte[] {127, 0, 0, 1}));
    proxy = EgressProxy.builder(CertificateAuthority.loadOrCreate(tmp.resolve("ca")), vault)
        .guard(new DestinationGuard(r, List.of(HostPattern.of("up.test"))))
        .authorizer(EgressAuthorizer.unsafeAllowAll())
        .start();
    return HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port()))).build();
  }

  @AfterEach
  void tearDown() throws IOException {
    proxy.close();
    server.close();
  }

  @Test
  void sequentialGets_reuseOneUpstreamConnection() throws Exception {
    HttpClient c = client();
    for (int i = 0; i < 5; i++) {
      assertThat(get(c, "GET").body()).isEqualTo("ok");
    }
    assertThat(accepted).hasValue(1);
  }

  @Test
  void deadPooledConnection_getRetriedOnFreshConnection() throws Exception {
    closeAfterEachResponse = true;
    HttpClient c = client();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = get(c, "GET");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ok");
    }
    assertThat(accepted.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void post_neverUsesAPooledConnection() throws Exception {
    HttpClient c = client();
    assertThat(get(c, "GET").statusCode()).isEqualTo(200);
    assertThat(get(c, "POST").statusCode()).isEqualTo(200);
    assertThat(get(c, "POST").statusCode()).isEqualTo(200);
    assertThat(accepted).hasValue(3);
  }
}
