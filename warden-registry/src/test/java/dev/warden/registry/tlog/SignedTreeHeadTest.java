package dev.warden.registry.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.registry.pkg.PackageSignature;
import dev.warden.registry.pkg.PublisherKeyPair;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignedTreeHeadTest {
  private final PublisherKeyPair key = PublisherKeyPair.generate("registry-log");

  @Test
  void jsonRoundTrip_stillVerifies() throws Exception {
    SignedTreeHead h = SignedTreeHead.sign(7, MerkleTree.emptyRoot(), Instant.parse("2026-11-26T00:00:00.123456Z"), key);
    SignedTreeHead back = SignedTreeHead.parse(h.toJson());
    assertThat(back.verifies(key.publicKey().publicKey())).isTrue();
    assertThat(back.sameTreeAs(h)).isTrue();
  }

  @Test
  void changedSizeRootOrTime_failsVerification() {
    SignedTreeHead h = SignedTreeHead.sign(7, MerkleTree.emptyRoot(), Instant.now(), key);
    var pk = key.publicKey().publicKey();
    assertThat(new SignedTreeHead(8, h.rootHash(), h.timestamp(), h.logKeyId(), h.signature()).verifies(pk)).isFalse();
    assertThat(new SignedTreeHead(7, MerkleTree.leafHash(new byte[0]), h.timestamp(), h.logKeyId(), h.signature()).verifies(pk)).isFalse();
    assertThat(new SignedTreeHead(7, h.rootHash(), h.timestamp().plusSeconds(1), h.logKeyId(), h.signature()).verifies(pk)).isFalse();
  }

  @Test
  void packageSignatureBytes_neverVerifyAsTreeHead() {
    // domain separation: a signature made over some other document by the same key does not pass
    SignedTreeHead h = SignedTreeHead.sign(1, MerkleTree.emptyRoot(), Instant.now(), key);
    byte[] other = PackageSignature.sign("{\"format\":\"warden-skill-package/1\"}".getBytes(), key).signature();
    assertThat(new SignedTreeHead(1, h.rootHash(), h.timestamp(), h.logKeyId(), other).verifies(key.publicKey().publicKey())).isFalse();
  }

  @Test
  void malformed_refused() {
    assertThatThrownBy(() -> SignedTreeHead.parse("{\"treeSize\":1,\"rootHash\":\"zz\"}".getBytes()))
        .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.reason()).isEqualTo(LogException.Reason.MALFORMED));
  }
}
