package dev.warden.registry.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublisherKeyPairTest {
  @TempDir Path tmp;

  @Test
  void saveThenLoad_sameKeyAndPrivateFileOwnerOnly() throws Exception {
    PublisherKeyPair pair = PublisherKeyPair.generate("alice");
    pair.save(tmp);
    PublisherKeyPair back = PublisherKeyPair.load(tmp, "alice");
    assertThat(back.publicKey()).isEqualTo(pair.publicKey());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(PublisherKeyPair.privateKeyFile(tmp, "alice")))).isEqualTo("rw-------");
    assertThat(Files.readString(PublisherKeyPair.privateKeyFile(tmp, "alice"))).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(pair.toString()).contains("redacted").doesNotContain("PRIVATE");
  }

  @Test
  void keyId_isSha256OfSpki_and64Hex() {
    PublisherKey k = PublisherKeyPair.generate("alice").publicKey();
    assertThat(k.keyId()).matches("[0-9a-f]{64}");
    assertThat(k.fingerprint()).isEqualTo("SHA256:" + k.keyId());
  }

  @Test
  void load_mismatchedHalves_refused() throws Exception {
    PublisherKeyPair a = PublisherKeyPair.generate("alice");
    a.save(tmp);
    Path other = tmp.resolve("other");
    PublisherKeyPair.generate("alice").save(other);
    Files.copy(PublisherKeyPair.publicKeyFile(other, "alice"), PublisherKeyPair.publicKeyFile(tmp, "alice"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> PublisherKeyPair.load(tmp, "alice")).hasMessageContaining("does not match");
  }

  @Test
  void readPublicKey_editedKeyId_refused() throws Exception {
    PublisherKeyPair a = PublisherKeyPair.generate("alice");
    a.save(tmp);
    Path pub = PublisherKeyPair.publicKeyFile(tmp, "alice");
    Files.writeString(pub, Files.readString(pub).replace(a.keyId(), "0".repeat(64)));
    assertThatThrownBy(() -> PublisherKeyPair.readPublicKey(pub)).hasMessageContaining("fingerprint");
  }

  @Test
  void publisherName_invalid_refused() {
    assertThatThrownBy(() -> PublisherKeyPair.generate("Alice Smith")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void publisherKey_ed448OrRsa_refused() throws Exception {
    java.security.PublicKey ed448 = java.security.KeyPairGenerator.getInstance("Ed448").generateKeyPair().getPublic();
    java.security.PublicKey rsa = java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic();
    assertThatThrownBy(() -> PublisherKey.of("alice", ed448)).hasMessageContaining("Ed25519");
    assertThatThrownBy(() -> PublisherKey.of("alice", rsa)).hasMessageContaining("Ed25519");
  }
}
