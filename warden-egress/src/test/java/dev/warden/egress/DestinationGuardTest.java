package dev.warden.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.vault.HostPattern;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DestinationGuardTest {

  static InetAddress ip(String literal) {
    return InetAddress.ofLiteral(literal);
  }

  static Resolver fixed(String... literals) {
    return host -> {
      List<InetAddress> out = new java.util.ArrayList<>();
      for (String l : literals) {
        out.add(InetAddress.getByAddress(host, ip(l).getAddress()));
      }
      return out;
    };
  }

  @ParameterizedTest
  @CsvSource({
      "93.184.216.34, PUBLIC",
      "8.8.8.8, PUBLIC",
      "127.0.0.1, LOOPBACK",
      "127.1.2.3, LOOPBACK",
      "10.0.0.1, PRIVATE",
      "172.16.0.1, PRIVATE",
      "172.31.255.255, PRIVATE",
      "172.32.0.1, PUBLIC",
      "192.168.1.1, PRIVATE",
      "169.254.1.1, LINK_LOCAL",
      "169.254.169.254, METADATA",
      "169.254.170.2, METADATA",
      "100.100.100.200, METADATA",
      "192.0.0.192, METADATA",
      "100.64.0.1, CGNAT",
      "100.127.255.255, CGNAT",
      "0.0.0.0, UNSPECIFIED",
      "0.1.2.3, UNSPECIFIED",
      "224.0.0.1, MULTICAST",
      "255.255.255.255, MULTICAST",
      "240.0.0.1, RESERVED",
      "192.0.2.1, RESERVED",
      "198.18.0.1, RESERVED",
      "::1, LOOPBACK",
      "::, UNSPECIFIED",
      "fe80::1, LINK_LOCAL",
      "fc00::1, PRIVATE",
      "fd12:3456::1, PRIVATE",
      "fd00:ec2::254, METADATA",
      "fec0::1, PRIVATE",
      "ff02::1, MULTICAST",
      "2001:db8::1, RESERVED",
      "2606:4700::1111, PUBLIC",
      "::127.0.0.1, LOOPBACK",
      "64:ff9b::a9fe:a9fe, METADATA",
      "64:ff9b::808:808, PUBLIC",
      "2002:7f00:1::, LOOPBACK",
      "2002:a9fe:a9fe::, METADATA",
  })
  void classify_table(String literal, AddressClass expected) {
    assertThat(DestinationGuard.classify(ip(literal))).isEqualTo(expected);
  }

  @Test
  void classify_ipv4MappedIpv6Bytes_classifiedByEmbeddedAddress() throws Exception {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 169;
    mapped[13] = (byte) 254;
    mapped[14] = (byte) 169;
    mapped[15] = (byte) 254;
    InetAddress a = java.net.Inet6Address.getByAddress(null, mapped, -1);
    assertThat(DestinationGuard.classify(a)).isEqualTo(AddressClass.METADATA);
    assertThat(DestinationGuard.classify(InetAddress.getByName("::ffff:127.0.0.1"))).isEqualTo(AddressClass.LOOPBACK);
  }

  @Test
  void check_publicHost_pinnedToResolvedAddress() throws Exception {
    Destination d = new DestinationGuard(fixed("93.184.216.34"), List.of()).check("Example.COM", 443);
    assertThat(d.host()).isEqualTo("example.com");
    assertThat(d.address().getHostAddress()).isEqualTo("93.184.216.34");
    assertThat(d.addressClass()).isEqualTo(AddressClass.PUBLIC);
    assertThat(d.allowlisted()).isFalse();
    assertThat(d.socketAddress().isUnresolved()).isFalse();
  }

  @Test
  void check_anyPrivateAnswer_denied() {
    DestinationGuard g = new DestinationGuard(fixed("93.184.216.34", "10.0.0.5"), List.of());
    assertThatThrownBy(() -> g.check("mixed.example", 80))
        .isInstanceOfSatisfying(DestinationDeniedException.class, e -> {
          assertThat(e.addressClass()).isEqualTo(AddressClass.PRIVATE);
          assertThat(e.getMessage()).contains("10.0.0.5").contains("--allow-host mixed.example");
        });
  }

  @Test
  void check_resolvesExactlyOnce_rebindingCannotChangePinnedAddress() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Resolver rebinding = host -> calls.getAndIncrement() == 0
        ? List.of(ip("93.184.216.34"))
        : List.of(ip("169.254.169.254"));
    Destination d = new DestinationGuard(rebinding, List.of()).check("rebind.example", 80);
    assertThat(calls).hasValue(1);
    assertThat(d.socketAddress().getAddress().getHostAddress()).isEqualTo("93.184.216.34");
  }

  @Test
  void check_loopbackAllowlisted_passesAndSaysSo() throws Exception {
    Destination d = new DestinationGuard(fixed("127.0.0.1"), List.of(HostPattern.of("*.internal.example")))
        .check("svc.internal.example", 8080);
    assertThat(d.allowlisted()).isTrue();
    assertThat(d.addressClass()).isEqualTo(AddressClass.LOOPBACK);
  }

  @Test
  void check_metadataNeverPassesEvenAllowlisted() {
    DestinationGuard g = new DestinationGuard(fixed("169.254.169.254"), List.of(HostPattern.of("evil.example")));
    assertThatThrownBy(() -> g.check("evil.example", 80))
        .isInstanceOfSatisfying(DestinationDeniedException.class, e -> {
          assertThat(e.addressClass()).isEqualTo(AddressClass.METADATA);
          assertThat(e.getMessage()).contains("never reachable");
        });
  }

  @Test
  void check_metadataHostName_deniedWithoutLookup() {
    AtomicInteger calls = new AtomicInteger();
    DestinationGuard g = new DestinationGuard(h -> {
      calls.incrementAndGet();
      return List.of(ip("8.8.8.8"));
    }, List.of());
    assertThatThrownBy(() -> g.check("metadata.google.internal", 80)).isInstanceOf(DestinationDeniedException.class);
    assertThat(calls).hasValue(0);
  }

  @Test
  void check_ipLiteralForms_classifiedByValueNotSpelling() {
    DestinationGuard g = new DestinationGuard(h -> {
      throw new UnknownHostException("no DNS for literals: " + h);
    }, List.of());
    for (String spelled : List.of("127.0.0.1", "[::1]", "::ffff:127.0.0.1", "0.0.0.0", "[::ffff:a9fe:a9fe]")) {
      assertThatThrownBy(() -> g.check(spelled, 80)).as(spelled).isInstanceOf(DestinationDeniedException.class)
          .hasMessageNotContaining("does not resolve");
    }
  }

  @Test
  void check_ambiguousNumericSpellings_refusedWithoutLookup() {
    DestinationGuard g = new DestinationGuard(h -> {
      throw new AssertionError("must not resolve " + h);
    }, List.of(HostPattern.of("*.example.com")));
    for (String spelled : List.of("2130706433", "0x7f.0.0.1", "0177.0.0.1", "127.1", "8.8.8.08")) {
      assertThatThrownBy(() -> g.check(spelled, 80)).as(spelled).hasMessageContaining("ambiguous numeric");
    }
  }

  @Test
  void check_unresolvable_denied() {
    DestinationGuard g = new DestinationGuard(h -> {
      throw new UnknownHostException(h);
    }, List.of());
    assertThatThrownBy(() -> g.check("nowhere.example", 80))
        .isInstanceOfSatisfying(DestinationDeniedException.class, e -> assertThat(e.addressClass()).isEqualTo(AddressClass.UNRESOLVED));
  }

  @Test
  void check_invalidHostName_deniedWithoutLookup() {
    DestinationGuard g = new DestinationGuard(h -> {
      throw new AssertionError("must not resolve " + h);
    }, List.of());
    assertThatThrownBy(() -> g.check("bad host/x", 80)).hasMessageContaining("not a valid host name");
    assertThatThrownBy(() -> g.check("", 80)).isInstanceOf(DestinationDeniedException.class);
    assertThatThrownBy(() -> g.check("a.example", 0)).hasMessageContaining("port");
  }

  @Test
  void checkUrl_nonHttpScheme_denied() {
    DestinationGuard g = new DestinationGuard(fixed("8.8.8.8"), List.of());
    assertThatThrownBy(() -> g.check(URI.create("file:///etc/passwd"))).hasMessageContaining("only http and https");
    assertThatThrownBy(() -> g.check(URI.create("gopher://x.example/"))).isInstanceOf(DestinationDeniedException.class);
  }

  @Test
  void checkUrl_defaultPorts() throws Exception {
    DestinationGuard g = new DestinationGuard(fixed("8.8.8.8"), List.of());
    assertThat(g.check(URI.create("https://x.example/a")).port()).isEqualTo(443);
    assertThat(g.check(URI.create("http://x.example/a")).port()).isEqualTo(80);
    assertThat(g.check(URI.create("http://x.example:8080/a")).port()).isEqualTo(8080);
  }

  @Test
  void allowing_addsEntries() throws Exception {
    DestinationGuard g = new DestinationGuard(fixed("10.1.1.1"), List.of()).allowing(List.of(HostPattern.of("db.corp.example")));
    assertThat(g.check("db.corp.example", 5432).allowlisted()).isTrue();
  }
}
