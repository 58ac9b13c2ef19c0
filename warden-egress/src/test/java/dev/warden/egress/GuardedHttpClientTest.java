package dev.warden.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.vault.HostPattern;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardedHttpClientTest {
  @TempDir Path tmp;
  TestUpstream plain;
  final AtomicInteger lookups = new AtomicInteger();
  final Resolver loopback = h -> {
    lookups.incrementAndGet();
    return List.of(InetAddress.getByAddress(h, new byte[] {127, 0, 0, 1}));
  };

  @BeforeEach
  void setUp() throws Exception {
    plain = TestUpstream.http("plain");
  }

  @AfterEach
  void tearDown() {
    plain.close();
  }

  GuardedHttpClient allowing(String host) {
    return new GuardedHttpClient(new DestinationGuard(loopback, List.of(HostPattern.of(host))));
  }

  @Test
  void get_allowlistedLoopback_returnsBodyAndDestination() throws Exception {
    GuardedHttpClient.Response r = allowing("site.test").send("GET", URI.create("http://site.test:" + plain.port() + "/a?b=1"),
        Map.of("Accept", "text/plain"), new byte[0], 1024);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo("hello from plain\n");
    assertThat(r.truncated()).isFalse();
    assertThat(r.destination().address().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(r.headerOrNull("Content-Type")).isEqualTo("text/plain");
    assertThat(plain.received.getFirst().uri()).isEqualTo("/a?b=1");
    assertThat(lookups).hasValue(1);
  }

  @Test
  void post_sendsBody() throws Exception {
    allowing("site.test").send("POST", URI.create("http://site.test:" + plain.port() + "/p"), Map.of(),
        "x=1".getBytes(StandardCharsets.UTF_8), 1024);
    assertThat(plain.received.getFirst().body()).isEqualTo("x=1");
  }

  @Test
  void chunkedResponse_decoded() throws Exception {
    GuardedHttpClient.Response r = allowing("site.test").send("GET", URI.create("http://site.test:" + plain.port() + "/chunked"),
        Map.of(), new byte[0], 1024);
    assertThat(r.bodyText()).isEqualTo("hello from plain\nhello from plain\n");
  }

  @Test
  void bodyOverCap_truncated() throws Exception {
    GuardedHttpClient.Response r = allowing("site.test").send("GET", URI.create("http://site.test:" + plain.port() + "/"),
        Map.of(), new byte[0], 5);
    assertThat(r.truncated()).isTrue();
    assertThat(r.bodyText()).isEqualTo("hello");
  }

  @Test
  void loopbackNotAllowlisted_deniedBeforeConnecting() {
    GuardedHttpClient c = new GuardedHttpClient(new DestinationGuard(loopback, List.of()));
    assertThatThrownBy(() -> c.send("GET", URI.create("http://site.test:" + plain.port() + "/"), Map.of(), new byte[0], 10))
        .isInstanceOf(DestinationDeniedException.class).hasMessageContaining("loopback");
    assertThat(plain.received).isEmpty();
  }

  @Test
  void rebindingResolver_connectsToCheckedAddress() throws Exception {
    TestUpstream other = TestUpstream.http("other", "127.0.0.2", plain.port());
    try {
      AtomicInteger calls = new AtomicInteger();
      Resolver r = h -> List.of(InetAddress.getByAddress(h, new byte[] {127, 0, 0, (byte) (calls.getAndIncrement() == 0 ? 1 : 2)}));
      GuardedHttpClient c = new GuardedHttpClient(new DestinationGuard(r, List.of(HostPattern.of("rebind.test"))));
      assertThat(c.send("GET", URI.create("http://rebind.test:" + plain.port() + "/"), Map.of(), new byte[0], 100).bodyText())
          .isEqualTo("hello from plain\n");
      assertThat(calls).hasValue(1);
      assertThat(other.received).isEmpty();
    } finally {
      other.close();
    }
  }

  @Test
  void https_verifiesAgainstTrustAndHostName() throws Exception {
    CertificateAuthority testCa = CertificateAuthority.loadOrCreate(tmp.resolve("ca"));
    try (TestUpstream tls = TestUpstream.https("tls", testCa.newServerContext("secure.test"))) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("ca", testCa.certificate());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      GuardedHttpClient c = new GuardedHttpClient(
          new DestinationGuard(loopback, List.of(HostPattern.of("secure.test"), HostPattern.of("other.test"))), ctx.getSocketFactory());
      assertThat(c.send("GET", URI.create("https://secure.test:" + tls.port() + "/"), Map.of(), new byte[0], 100).status()).isEqualTo(200);
      assertThatThrownBy(() -> c.send("GET", URI.create("https://other.test:" + tls.port() + "/"), Map.of(), new byte[0], 100))
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
      GuardedHttpClient jdkTrust = new GuardedHttpClient(new DestinationGuard(loopback, List.of(HostPattern.of("secure.test"))));
      assertThatThrownBy(() -> jdkTrust.send("GET", URI.create("https://secure.test:" + tls.port() + "/"), Map.of(), new byte[0], 100))
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
  }

  @Test
  void headerInjection_rejected() {
    assertThatThrownBy(() -> allowing("site.test").send("GET", URI.create("http://site.test:" + plain.port() + "/"),
        Map.of("X-A", "b\r\nX-Evil: 1"), new byte[0], 10)).isInstanceOf(IllegalArgumentException.class);
  }
}
