package dev.warden.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.registry.pkg.PublisherKeyPair;
import dev.warden.registry.tlog.LogException;
import dev.warden.registry.tlog.LogMonitor;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a registry that lies in its answers (a proxy rewriting real responses). */
class RegistryClientLyingRegistryTest {
  @TempDir Path tmp;
  private RegistryFixture f;
  private TamperingRegistryProxy proxy;
  private RegistryClient client;
  private final PublisherKeyPair alice = PublisherKeyPair.generate("alice");

  @BeforeEach
  void setUp() throws Exception {
    f = new RegistryFixture(tmp);
    String token = f.server.issueToken("alice");
    f.client.publish(f.pack("weather", "1.0.0", alice), token);
    f.client.publish(f.pack("notes", "1.0.0", alice), token);
    f.client.publish(f.pack("calendar", "1.0.0", alice), token);
    proxy = new TamperingRegistryProxy(f.server.baseUri());
    client = new RegistryClient(proxy.uri(), f.trust, LogMonitor.open(tmp.resolve("proxy-client/log.json"), "proxy", null));
  }

  @AfterEach
  void tearDown() {
    proxy.close();
    f.close();
  }

  @Test
  void honestProxy_downloadVerifies() throws Exception {
    assertThat(client.download("notes", "1.0.0").pkg().name()).isEqualTo("notes");
  }

  @Test
  void otherPackageServed_refused() throws Exception {
    ObjectNode weather = (ObjectNode) dev.warden.registry.pkg.internal.CanonicalJson.read(
        java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(f.server.baseUri() + "/api/v1/download?slug=weather&version=1.0.0")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body());
    proxy.rewrite((path, body) -> path.endsWith("/download") ? weather : body);
    assertThatThrownBy(() -> client.download("notes", "1.0.0"))
        .isInstanceOf(RegistryException.class).hasMessageContaining("asked registry").hasMessageContaining("served weather@1.0.0");
  }

  @Test
  void inclusionProofTampered_refused() throws Exception {
    proxy.rewrite((path, body) -> {
      if (path.endsWith("/download")) {
        ArrayNode proof = (ArrayNode) body.path("log").path("inclusionProof");
        proof.set(0, proof.get(0).asText().replaceFirst("^.", proof.get(0).asText().startsWith("0") ? "1" : "0"));
      }
      return body;
    });
    assertThatThrownBy(() -> client.download("notes", "1.0.0"))
        .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.reason()).isEqualTo(LogException.Reason.NOT_INCLUDED));
  }

  @Test
  void logIndexPointsElsewhere_refused() throws Exception {
    proxy.rewrite((path, body) -> {
      if (path.endsWith("/download")) {
        ((ObjectNode) body.path("log")).put("index", 0);
      }
      return body;
    });
    assertThatThrownBy(() -> client.download("notes", "1.0.0"))
        .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.reason()).isEqualTo(LogException.Reason.NOT_INCLUDED));
  }

  @Test
  void treeHeadSignatureTampered_refused() throws Exception {
    proxy.rewrite((path, body) -> {
      if (path.endsWith("/download")) {
        ObjectNode head = (ObjectNode) body.path("log").path("treeHead");
        byte[] sig = Base64.getDecoder().decode(head.path("signature").asText());
        sig[5] ^= 1;
        head.put("signature", Base64.getEncoder().encodeToString(sig));
      }
      return body;
    });
    assertThatThrownBy(() -> client.download("notes", "1.0.0"))
        .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.reason()).isEqualTo(LogException.Reason.BAD_HEAD_SIGNATURE));
  }

  @Test
  void olderValidlySignedHeadAfterNewerOne_refusedAsRollback() throws Exception {
    ObjectNode olderHead = (ObjectNode) dev.warden.registry.pkg.internal.CanonicalJson.read(
        java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(f.server.baseUri() + "/api/v1/log/head")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body());
    f.client.publish(f.pack("maps", "1.0.0", alice), f.server.issueToken("alice"));
    assertThat(client.refreshHead().treeSize()).isEqualTo(4);
    proxy.rewrite((path, body) -> path.endsWith("/log/head") ? olderHead : body);
    assertThatThrownBy(client::refreshHead)
        .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.reason()).isEqualTo(LogException.Reason.ROLLBACK))
        .hasMessageContaining("BACKWARDS");
  }

  @Test
  void consistencyProofWithheld_refusedAsFork() throws Exception {
    client.refreshHead();
    f.client.publish(f.pack("maps", "1.0.0", alice), f.server.issueToken("alice"));
    proxy.rewrite((path, body) -> {
      if (path.endsWith("/proof/consistency")) {
        body.set("proof", body.arrayNode());
      }
      return body;
    });
    assertThatThrownBy(client::refreshHead)
        .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.reason()).isEqualTo(LogException.Reason.FORK));
  }
}
