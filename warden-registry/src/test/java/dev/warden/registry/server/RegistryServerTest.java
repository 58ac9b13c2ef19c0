package dev.warden.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.registry.pkg.PublisherKeyPair;
import dev.warden.registry.pkg.SkillPackage;
import dev.warden.registry.pkg.SkillPacker;
import dev.warden.registry.pkg.TestSkills;
import dev.warden.registry.pkg.internal.CanonicalJson;
import dev.warden.registry.tlog.LogEntry;
import dev.warden.registry.tlog.MerkleTree;
import dev.warden.registry.tlog.SignedTreeHead;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryServerTest {
  @TempDir Path tmp;
  private RegistryServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final PublisherKeyPair alice = PublisherKeyPair.generate("alice");
  private String token;

  @BeforeEach
  void setUp() throws Exception {
    server = RegistryServer.start(0, tmp.resolve("data"));
    token = server.issueToken("alice");
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, byte[] body, String tokenOrNull) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (tokenOrNull != null) {
      b.header("Authorization", "Bearer " + tokenOrNull);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> publish(SkillPackage p) throws Exception {
    return post("/api/v1/skills", CanonicalJson.write(Map.of(
        "archive", Base64.getEncoder().encodeToString(p.archive()),
        "manifest", Base64.getEncoder().encodeToString(p.manifest()),
        "signature", Base64.getEncoder().encodeToString(p.signatureOrNull()))), token);
  }

  private SkillPackage pack(String name) throws Exception {
    return SkillPacker.packAndSign(TestSkills.skill(tmp.resolve("src-" + name), name, name), name, "1.0.0", name, alice);
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return CanonicalJson.read(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void start_default_bindsLoopbackOnly() {
    assertThat(server.baseUri().getHost()).isEqualTo("127.0.0.1");
    assertThat(server.port()).isPositive();
  }

  @Test
  void database_isSqliteInWalMode() throws Exception {
    publish(pack("weather"));
    assertThat(tmp.resolve("data/registry.db")).exists();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("data/registry.db"));
        ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  void tokens_storedOnlyHashed() throws Exception {
    String file = Files.readString(tmp.resolve("data/tokens.json"));
    assertThat(file).doesNotContain(token).contains(dev.warden.kernel.Hashing.sha256Hex(token));
    assertThat(token).startsWith(RegistryTokens.TOKEN_PREFIX);
  }

  @Test
  void publish_oversizeBody_refused413BeforeReading() throws Exception {
    byte[] huge = new byte[(int) RegistryServer.MAX_PUBLISH_REQUEST_BYTES + 1024];
    HttpResponse<String> r = post("/api/v1/skills", huge, token);
    assertThat(r.statusCode()).isEqualTo(413);
  }

  @Test
  void report_oversizeBody_refused413() throws Exception {
    publish(pack("weather"));
    byte[] big = CanonicalJson.write(Map.of("reason", "x".repeat(RegistryServer.MAX_SMALL_REQUEST_BYTES + 1)));
    assertThat(post("/api/v1/skills/weather/report", big, token).statusCode()).isEqualTo(413);
  }

  @Test
  void publish_notJson_refused400() throws Exception {
    assertThat(post("/api/v1/skills", "not json".getBytes(), token).statusCode()).isEqualTo(400);
  }

  @Test
  void skill_unknownOrBadSlug_404or400() throws Exception {
    assertThat(get("/api/v1/skills/nope").statusCode()).isEqualTo(404);
    assertThat(get("/api/v1/skills/Bad%20Slug").statusCode()).isEqualTo(400);
    assertThat(json(get("/api/v1/skills/nope")).path("error").asText()).contains("no skill 'nope'");
  }

  @Test
  void publish_thenSkill_showsFirstSeenCountsVersionsAndEmptyReports() throws Exception {
    HttpResponse<String> r = publish(pack("weather"));
    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode s = json(get("/api/v1/skills/weather"));
    assertThat(s.path("owner").asText()).isEqualTo("alice");
    assertThat(s.path("firstSeen").asText()).isNotEmpty();
    assertThat(s.path("downloads").asLong()).isZero();
    assertThat(s.path("installs").asLong()).isZero();
    assertThat(s.path("versions").get(0).path("yanked").asBoolean()).isFalse();
    assertThat(s.path("reports").isArray()).isTrue();
  }

  @Test
  void logEndpoints_proofsVerifyAgainstSignedHead() throws Exception {
    List<SkillPackage> pkgs = new ArrayList<>();
    for (String n : List.of("a1", "b2", "c3", "d4", "e5")) {
      SkillPackage p = pack(n);
      pkgs.add(p);
      assertThat(publish(p).statusCode()).isEqualTo(201);
    }
    JsonNode headJson = json(get("/api/v1/log/head"));
    SignedTreeHead head = SignedTreeHead.fromJson(headJson);
    assertThat(head.treeSize()).isEqualTo(5);
    assertThat(head.verifies(server.logKey().publicKey())).isTrue();
    JsonNode entries = json(get("/api/v1/log/entries?start=0&end=5")).path("entries");
    for (int i = 0; i < 5; i++) {
      byte[] entry = Base64.getDecoder().decode(entries.get(i).asText());
      assertThat(LogEntry.parse(entry).manifestSha256()).isEqualTo(dev.warden.kernel.Hashing.sha256Hex(pkgs.get(i).manifest()));
      List<byte[]> proof = hexes(json(get("/api/v1/log/proof/inclusion?index=" + i + "&treeSize=5")).path("proof"));
      assertThat(MerkleTree.verifyInclusion(MerkleTree.leafHash(entry), i, 5, proof, head.rootHash())).isTrue();
    }
    List<byte[]> cons = hexes(json(get("/api/v1/log/proof/consistency?from=2&to=5")).path("proof"));
    List<byte[]> leaves = new ArrayList<>();
    for (JsonNode e : entries) {
      leaves.add(MerkleTree.leafHash(Base64.getDecoder().decode(e.asText())));
    }
    assertThat(MerkleTree.verifyConsistency(2, 5, MerkleTree.root(leaves, 2), head.rootHash(), cons)).isTrue();
    assertThat(get("/api/v1/log/proof/inclusion?index=5&treeSize=5").statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/log/proof/consistency?from=3&to=9").statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/log/proof/consistency?from=x&to=9").statusCode()).isEqualTo(400);
  }

  @Test
  void restart_keepsLogKeyAndEntries() throws Exception {
    publish(pack("weather"));
    String keyId = server.logKey().keyId();
    server.close();
    server = RegistryServer.start(0, tmp.resolve("data"));
    assertThat(server.logKey().keyId()).isEqualTo(keyId);
    assertThat(SignedTreeHead.fromJson(json(get("/api/v1/log/head"))).treeSize()).isEqualTo(1);
    assertThat(server.tokens().authenticate("Bearer " + token)).contains("alice");
  }

  @Test
  void yank_unknownVersion_404() throws Exception {
    publish(pack("weather"));
    HttpResponse<String> r = post("/api/v1/skills/weather/yank", CanonicalJson.write(Map.of("version", "9.9.9", "reason", "x")), token);
    assertThat(r.statusCode()).isEqualTo(404);
  }

  @Test
  void yank_missingReason_400() throws Exception {
    publish(pack("weather"));
    HttpResponse<String> r = post("/api/v1/skills/weather/yank", CanonicalJson.write(Map.of("version", "1.0.0")), token);
    assertThat(r.statusCode()).isEqualTo(400);
  }

  private static List<byte[]> hexes(JsonNode arr) {
    List<byte[]> out = new ArrayList<>();
    arr.forEach(h -> out.add(HexFormat.of().parseHex(h.asText())));
    return out;
  }
}
