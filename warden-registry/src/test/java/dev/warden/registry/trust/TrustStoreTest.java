package dev.warden.registry.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.registry.pkg.PackageException;
import dev.warden.registry.pkg.PackageException.Reason;
import dev.warden.registry.pkg.PublisherKey;
import dev.warden.registry.pkg.PublisherKeyPair;
import dev.warden.registry.pkg.TrustStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustStoreTest {
  @TempDir Path tmp;
  private final List<TrustEvent> events = new ArrayList<>();
  private final InstantSource clock = InstantSource.fixed(Instant.parse("2026-11-26T01:02:03Z"));
  private final PublisherKey alice = PublisherKeyPair.generate("alice").publicKey();
  private final PublisherKey alice2 = PublisherKeyPair.generate("alice").publicKey();

  private TrustStore open(TrustStore.Mode mode) throws Exception {
    return TrustStore.open(tmp.resolve("trust.json"), mode, clock, events::add);
  }

  @Test
  void admit_firstKeyWithTofu_pinsAndWarns() throws Exception {
    TrustStore s = open(TrustStore.Mode.TRUST_ON_FIRST_USE);
    assertThat(s.admit(alice)).isEqualTo(TrustStatus.PINNED_ON_FIRST_USE);
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.kind()).isEqualTo(TrustEvent.Kind.PINNED_ON_FIRST_USE);
      assertThat(e.isWarning()).isTrue();
      assertThat(e.message()).contains("WARNING").contains(alice.fingerprint());
    });
    assertThat(s.admit(alice)).isEqualTo(TrustStatus.PINNED);
  }

  @Test
  void admit_unknownPublisherExplicitOnly_refused() throws Exception {
    TrustStore s = open(TrustStore.Mode.EXPLICIT_ONLY);
    assertThatThrownBy(() -> s.admit(alice))
        .isInstanceOfSatisfying(PackageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_PUBLISHER))
        .hasMessageContaining("warden trust add");
    assertThat(s.keys()).isEmpty();
  }

  @Test
  void admit_changedKeyForPinnedPublisher_refusedLoudlyUntilRetrusted() throws Exception {
    TrustStore s = open(TrustStore.Mode.TRUST_ON_FIRST_USE);
    s.admit(alice);
    assertThatThrownBy(() -> s.admit(alice2))
        .isInstanceOfSatisfying(PackageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KEY_CHANGED))
        .hasMessageContaining("PUBLISHER KEY CHANGED")
        .hasMessageContaining("known key:     " + alice.fingerprint())
        .hasMessageContaining("presented key: " + alice2.fingerprint());
    assertThat(events).last().satisfies(e -> {
      assertThat(e.kind()).isEqualTo(TrustEvent.Kind.KEY_CHANGE_REFUSED);
      assertThat(e.previousKeyIds()).containsExactly(alice.keyId());
    });
    s.trust(alice2);
    assertThat(s.admit(alice2)).isEqualTo(TrustStatus.TRUSTED);
  }

  @Test
  void admit_revokedKey_refusedEvenAfterReopen() throws Exception {
    TrustStore s = open(TrustStore.Mode.TRUST_ON_FIRST_USE);
    s.trust(alice);
    s.revoke(alice.keyId(), "key leaked");
    TrustStore reopened = open(TrustStore.Mode.TRUST_ON_FIRST_USE);
    assertThatThrownBy(() -> reopened.admit(alice))
        .isInstanceOfSatisfying(PackageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REVOKED_KEY))
        .hasMessageContaining("key leaked");
  }

  @Test
  void admit_newKeyAfterOldRevoked_stillNeedsExplicitTrust() throws Exception {
    TrustStore s = open(TrustStore.Mode.TRUST_ON_FIRST_USE);
    s.admit(alice);
    s.revoke(alice.keyId(), "rotated");
    assertThatThrownBy(() -> s.admit(alice2))
        .isInstanceOfSatisfying(PackageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KEY_CHANGED));
  }

  @Test
  void revoke_neverSeenKey_preventsPinning() throws Exception {
    TrustStore s = open(TrustStore.Mode.TRUST_ON_FIRST_USE);
    s.revoke(alice, "published compromised key list");
    assertThatThrownBy(() -> s.admit(alice))
        .isInstanceOfSatisfying(PackageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REVOKED_KEY));
  }

  @Test
  void trust_revokedKey_refused() throws Exception {
    TrustStore s = open(TrustStore.Mode.TRUST_ON_FIRST_USE);
    s.trust(alice);
    s.revoke(alice.keyId(), "x");
    assertThatThrownBy(() -> s.trust(alice)).hasMessageContaining("cannot be trusted again");
  }

  @Test
  void admit_sameKeyUnderOtherPublisherName_refused() throws Exception {
    TrustStore s = open(TrustStore.Mode.TRUST_ON_FIRST_USE);
    s.trust(alice);
    PublisherKey renamed = PublisherKey.of("bob", alice.publicKey());
    assertThatThrownBy(() -> s.admit(renamed)).hasMessageContaining("changes publisher name");
  }

  @Test
  void persisted_reopen_keepsPinsAndStates() throws Exception {
    TrustStore s = open(TrustStore.Mode.TRUST_ON_FIRST_USE);
    s.admit(alice);
    TrustStore reopened = open(TrustStore.Mode.TRUST_ON_FIRST_USE);
    assertThat(reopened.keys()).singleElement().satisfies(k -> {
      assertThat(k.key()).isEqualTo(alice);
      assertThat(k.state()).isEqualTo(TrustedKey.State.PINNED);
      assertThat(k.since()).isEqualTo(clock.instant());
    });
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("trust.json");
    }
  }

  @Test
  void open_corruptFile_failsInsteadOfStartingEmpty() throws Exception {
    Files.writeString(tmp.resolve("trust.json"), "{\"version\":1,\"keys\":[{\"keyId\":\"x\"");
    assertThatThrownBy(() -> open(TrustStore.Mode.TRUST_ON_FIRST_USE)).hasMessageContaining("corrupt");
  }

  @Test
  void open_editedKeyId_refused() throws Exception {
    TrustStore s = open(TrustStore.Mode.TRUST_ON_FIRST_USE);
    s.trust(alice);
    Path f = tmp.resolve("trust.json");
    Files.writeString(f, Files.readString(f).replace(alice.keyId(), alice2.keyId()));
    assertThatThrownBy(() -> open(TrustStore.Mode.TRUST_ON_FIRST_USE)).hasMessageContaining("fingerprint");
  }

  @Test
  void remove_onlyKey_publisherUnknownAgain() throws Exception {
    TrustStore s = open(TrustStore.Mode.EXPLICIT_ONLY);
    s.trust(alice);
    assertThat(s.remove(alice.keyId())).isTrue();
    assertThatThrownBy(() -> s.admit(alice)).isInstanceOf(PackageException.class);
  }
}
