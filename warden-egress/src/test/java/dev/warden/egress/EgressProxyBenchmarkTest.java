package dev.warden.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.kernel.Decision;
import dev.warden.vault.HostPattern;
import dev.warden.vault.Secret;
import dev.warden.vault.Vault;
import dev.warden.vault.VaultKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Egress proxy latency and throughput on loopback: N small GETs (13-byte body) direct, through
 * Warden's proxy (plain HTTP forward; HTTPS through CONNECT with interception) and through
 * tinyproxy (plain HTTP forward, if installed). One JDK HttpClient per mode (HTTP/1.1, pooled
 * client-side connections); the proxies open one upstream connection per request.
 *
 * <p>Run: {@code mvn -o -pl warden-egress -am verify -Dwarden.egress.excludedGroups=none -Dgroups=slow
 * -Dsurefire.failIfNoSpecifiedTests=false}; results are printed and written to
 * {@code warden-egress/target/egress-bench.md}. Tunables: {@code -Dbench.requests=2000
 * -Dbench.clients=16}.
 */
@Tag("slow")
class EgressProxyBenchmarkTest {
  static final int WARMUP = 500;
  static final int REQUESTS = Integer.getInteger("bench.requests", 2000);
  static final int CLIENTS = Integer.getInteger("bench.clients", 16);
  static final int PER_CLIENT = Integer.getInteger("bench.perClient", 250);

  @TempDir Path tmp;

  record Row(String mode, double p50Micros, double p99Micros, double meanMicros, double throughputPerSecond) {}

  @Test
  void benchmark() throws Exception {
    Path vdir = tmp.resolve("vault");
    Vault vault = Vault.open(vdir, VaultKey.fromFile(vdir.resolve("k")));
    vault.add("github", Secret.ofUtf8("ghp_benchmarkTokenValueThatIsLongEnough00000"), List.of(HostPattern.of("api.github.com")), List.of());
    CertificateAuthority wardenCa = CertificateAuthority.loadOrCreate(tmp.resolve("ca"));
    CertificateAuthority testCa = CertificateAuthority.loadOrCreate(tmp.resolve("testca"));
    AtomicLong decisions = new AtomicLong();
    List<Row> rows = new ArrayList<>();
    try (TestUpstream plain = TestUpstream.http("b");
        TestUpstream tls = TestUpstream.https("b", testCa.newServerContext("127.0.0.1"));
        EgressProxy warden = EgressProxy.builder(wardenCa, vault)
            .guard(new DestinationGuard(Resolver.SYSTEM, List.of(HostPattern.of("127.0.0.1"))))
            .authorizer((r, c) -> {
              decisions.incrementAndGet();
              return new Decision.Allow("bench", "benchmark allows");
            })
            .unsafeAlsoTrustUpstreamRoot(testCa.certificate())
            .start()) {
      URI plainUri = URI.create("http://127.0.0.1:" + plain.port() + "/bench");
      URI tlsUri = URI.create("https://127.0.0.1:" + tls.port() + "/bench");
      rows.add(measure("direct http", client(null, trusting(testCa)), plainUri));
      rows.add(measure("warden http (forward)", client(warden.port(), trusting(testCa)), plainUri));
      assertThat(decisions.get()).as("requests really went through Warden").isGreaterThan(REQUESTS);
      Process tiny = startTinyproxy();
      if (tiny != null) {
        try {
          rows.add(measure("tinyproxy http (forward)", client(tinyPort, trusting(testCa)), plainUri));
        } finally {
          tiny.destroy();
        }
      }
      rows.add(measure("direct https", client(null, trusting(testCa)), tlsUri));
      rows.add(measure("warden https (CONNECT + interception)", client(warden.port(), trusting(wardenCa)), tlsUri));
    }
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "requests per latency run: %d (after %d warm-up), throughput: %d clients x %d requests%n%n",
        REQUESTS, WARMUP, CLIENTS, PER_CLIENT));
    md.append("| mode | p50 µs | p99 µs | mean µs | throughput req/s |\n|---|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f |%n", r.mode, r.p50Micros, r.p99Micros, r.meanMicros, r.throughputPerSecond));
    }
    System.out.println(md);
    Files.writeString(Path.of("target", "egress-bench.md"), md);
  }

  int tinyPort;

  Process startTinyproxy() throws Exception {
    Path bin = Path.of("/usr/bin/tinyproxy");
    if (!Files.isExecutable(bin)) {
      System.out.println("tinyproxy not installed: skipping that baseline (apt-get install tinyproxy)");
      return null;
    }
    try (ServerSocket s = new ServerSocket(0)) {
      tinyPort = s.getLocalPort();
    }
    Path conf = tmp.resolve("tinyproxy.conf");
    Files.writeString(conf, "Port " + tinyPort + "\nListen 127.0.0.1\nTimeout 60\nMaxClients 512\nLogLevel Critical\n"
        + "DisableViaHeader Yes\nAllow 127.0.0.1\n");
    Process p = new ProcessBuilder(bin.toString(), "-d", "-c", conf.toString()).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("tinyproxy.log").toFile()).start();
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket("127.0.0.1", tinyPort)) {
        return p;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    p.destroy();
    System.out.println("tinyproxy did not start: " + Files.readString(tmp.resolve("tinyproxy.log")));
    return null;
  }

  static SSLContext trusting(CertificateAuthority ca) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  static HttpClient client(Integer proxyPort, SSLContext ssl) {
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl)
        .connectTimeout(Duration.ofSeconds(10));
    if (proxyPort != null) {
      b.proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort)));
    }
    return b.build();
  }

  static Row measure(String mode, HttpClient client, URI uri) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(uri).GET().build();
    for (int i = 0; i < WARMUP; i++) {
      check(client.send(req, HttpResponse.BodyHandlers.ofString()));
    }
    long[] nanos = new long[REQUESTS];
    for (int i = 0; i < REQUESTS; i++) {
      long t = System.nanoTime();
      check(client.send(req, HttpResponse.BodyHandlers.ofString()));
      nanos[i] = System.nanoTime() - t;
    }
    Arrays.sort(nanos);
    double mean = Arrays.stream(nanos).average().orElse(0) / 1000.0;
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> fs = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        fs.add(pool.submit(() -> {
          for (int i = 0; i < PER_CLIENT; i++) {
            check(client.send(req, HttpResponse.BodyHandlers.ofString()));
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Row(mode, nanos[REQUESTS / 2] / 1000.0, nanos[(int) (REQUESTS * 0.99)] / 1000.0, mean,
        CLIENTS * PER_CLIENT / seconds);
  }

  static void check(HttpResponse<String> r) {
    if (r.statusCode() != 200) {
      throw new AssertionError("status " + r.statusCode() + ": " + r.body());
    }
  }
}
