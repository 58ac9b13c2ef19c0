package dev.warden.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.registry.pkg.PackageException;
import dev.warden.registry.pkg.PublisherKeyPair;
import dev.warden.registry.pkg.SkillPackage;
import dev.warden.registry.pkg.TrustStatus;
import dev.warden.registry.tlog.LogEntry;
import dev.warden.registry.tlog.LogException;
import dev.warden.registry.tlog.LogMonitor;
import dev.warden.registry.trust.TrustEvent;
import dev.warden.registry.trust.TrustStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryClientTest {
  @TempDir Path tmp;
  private RegistryFixture f;
  private PublisherKeyPair alice;
  private String aliceToken;

  @BeforeEach
  void setUp() throws Exception {
    f = new RegistryFixture(tmp);
    alice = PublisherKeyPair.generate("alice");
    aliceToken = f.server.issueToken("alice");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void publishSearchDownload_roundTrip_verifiedAndCounted() throws Exception {
    SkillPackage pkg = f.pack("weather", "1.0.0", alice);
    PublishResult published = f.client.publish(pkg, aliceToken);
    assertThat(published.created()).isTrue();
    assertThat(published.version().logIndex()).isZero();

    assertThat(f.client.search("weath")).singleElement().satisfies(s -> {
      assertThat(s.slug()).isEqualTo("weather");
      assertThat(s.latestVersionOrNull()).isEqualTo("1.0.0");
      assertThat(s.downloads()).isZero();
      assertThat(s.firstSeen()).isBefore(Instant.now().plusSeconds(1));
    });
    assertThat(f.client.search("nothing-like-this")).isEmpty();

    Download d = f.client.download("weather", "1.0.0", true);
    assertThat(d.pkg().trust()).isEqualTo(TrustStatus.PINNED_ON_FIRST_USE);
    assertThat(d.pkg().manifest().sha256()).isEqualTo(published.version().manifestSha256());
    assertThat(d.logIndex()).isZero();
    assertThat(d.treeHead().treeSize()).isEqualTo(1);
    assertThat(f.trustEvents).extracting(TrustEvent::kind).containsExactly(TrustEvent.Kind.PINNED_ON_FIRST_USE);

    SkillDetails details = f.client.skill("weather");
    assertThat(details.summary().downloads()).isEqualTo(1);
    assertThat(details.summary().installs()).isEqualTo(1);
    assertThat(details.versions()).extracting(VersionInfo::version).containsExactly("1.0.0");
  }

  @Test
  void download_latest_skipsYankedAndReportsFlags() throws Exception {
    f.client.publish(f.pack("weather", "1.0.0", alice), aliceToken);
    f.client.publish(f.pack("weather", "1.1.0", alice), aliceToken);
    f.client.yank("weather", "1.1.0", "broke the forecast parser", aliceToken);
    assertThat(f.client.download("weather", null).pkg().version()).isEqualTo("1.0.0");
    Download yanked = f.client.download("weather", "1.1.0");
    assertThat(yanked.yanked()).isTrue();
    assertThat(yanked.yankReasonOrNull()).isEqualTo("broke the forecast parser");
    assertThat(f.client.versions("weather")).extracting(VersionInfo::yanked).containsExactly(false, true);
  }

  @Test
  void report_recordedAndShownOnSkill() throws Exception {
    f.client.publish(f.pack("weather", "1.0.0", alice), aliceToken);
    String bobToken = f.server.issueToken("bob");
    f.client.report("weather", "1.0.0", "asks the agent to send ~/.ssh to a pastebin", bobToken);
    f.client.report("weather", null, "typosquat of wether", bobToken);
    assertThat(f.client.skill("weather").reports()).extracting(SkillReport::reason)
        .containsExactly("asks the agent to send ~/.ssh to a pastebin", "typosquat of wether");
  }

  @Test
  void report_withoutToken_refused401() throws Exception {
    f.client.publish(f.pack("weather", "1.0.0", alice), aliceToken);
    assertThatThrownBy(() -> f.client.report("weather", null, "spam", null))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @Test
  void yank_byOtherAccount_refused403() throws Exception {
    f.client.publish(f.pack("weather", "1.0.0", alice), aliceToken);
    String bobToken = f.server.issueToken("bob");
    assertThatThrownBy(() -> f.client.yank("weather", "1.0.0", "mine now", bobToken))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(403))
        .hasMessageContaining("only the owner");
  }

  @Test
  void publish_withoutOrWrongToken_refused401() throws Exception {
    SkillPackage pkg = f.pack("weather", "1.0.0", alice);
    assertThatThrownBy(() -> f.client.publish(pkg, null))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageContaining("publish token");
    assertThatThrownBy(() -> f.client.publish(pkg, "wrt_wrong"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThatThrownBy(() -> f.client.publish(pkg, aliceToken + "x"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThat(f.client.search("")).isEmpty();
  }

  @Test
  void publish_underAnotherPublishersName_refused403() throws Exception {
    String bobToken = f.server.issueToken("bob");
    assertThatThrownBy(() -> f.client.publish(f.pack("weather", "1.0.0", alice), bobToken))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(403))
        .hasMessageContaining("may only publish as publisher 'bob'");
  }

  @Test
  void publish_sameVersionDifferentContent_refused409_sameContentIdempotent() throws Exception {
    SkillPackage first = f.pack("weather", "1.0.0", alice);
    f.client.publish(first, aliceToken);
    assertThat(f.client.publish(first, aliceToken).created()).isFalse();
    SkillPackage other = f.pack("weather", "1.0.0", alice);
    java.nio.file.Path folder = tmp.resolve("changed");
    dev.warden.registry.pkg.TestSkills.skill(folder, "weather", "different text");
    SkillPackage changed = dev.warden.registry.pkg.SkillPacker.packAndSign(folder.resolve("weather"), "weather", "1.0.0", "other", alice);
    assertThatThrownBy(() -> f.client.publish(changed, aliceToken))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(409))
        .hasMessageContaining("cannot be republished");
    assertThat(other).isNotNull();
  }

  @Test
  void publish_tamperedPackage_refused400() throws Exception {
    SkillPackage pkg = f.pack("weather", "1.0.0", alice);
    byte[] archive = pkg.archive();
    archive[600] ^= 1;
    SkillPackage bad = new SkillPackage(archive, pkg.manifest(), pkg.signatureOrNull());
    assertThatThrownBy(() -> f.client.publish(bad, aliceToken))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("TAMPERED_ARCHIVE");
  }

  @Test
  void download_unknownPublisherWithExplicitOnlyTrust_refused() throws Exception {
    f.client.publish(f.pack("weather", "1.0.0", alice), aliceToken);
    TrustStore strict = TrustStore.open(tmp.resolve("strict.json"), TrustStore.Mode.EXPLICIT_ONLY, InstantSource.system(), e -> {});
    RegistryClient c = new RegistryClient(f.server.baseUri(), strict, f.monitor);
    assertThatThrownBy(() -> c.download("weather", "1.0.0"))
        .isInstanceOfSatisfying(PackageException.class, e -> assertThat(e.reason()).isEqualTo(PackageException.Reason.UNKNOWN_PUBLISHER));
  }

  @Test
  void download_publisherKeyChanged_refusedLoudly() throws Exception {
    f.client.publish(f.pack("weather", "1.0.0", alice), aliceToken);
    f.client.download("weather", "1.0.0");
    PublisherKeyPair stolenAccountNewKey = PublisherKeyPair.generate("alice");
    f.client.publish(f.pack("weather", "1.0.1", stolenAccountNewKey), aliceToken);
    assertThatThrownBy(() -> f.client.download("weather", "1.0.1"))
        .isInstanceOfSatisfying(PackageException.class, e -> assertThat(e.reason()).isEqualTo(PackageException.Reason.KEY_CHANGED))
        .hasMessageContaining(alice.publicKey().fingerprint())
        .hasMessageContaining(stolenAccountNewKey.publicKey().fingerprint());
  }

  @Test
  void download_revokedKey_refused() throws Exception {
    f.client.publish(f.pack("weather", "1.0.0", alice), aliceToken);
    f.trust.trust(alice.publicKey());
    f.trust.revoke(alice.keyId(), "publisher reported the key stolen");
    assertThatThrownBy(() -> f.client.download("weather", "1.0.0"))
        .isInstanceOfSatisfying(PackageException.class, e -> assertThat(e.reason()).isEqualTo(PackageException.Reason.REVOKED_KEY));
  }

  @Test
  void download_afterServerRewroteHistory_forkDetected() throws Exception {
    f.client.publish(f.pack("weather", "1.0.0", alice), aliceToken);
    f.client.publish(f.pack("notes", "1.0.0", alice), aliceToken);
    f.client.download("weather", "1.0.0");
    // the registry operator (or an intruder) rewrites the published record of notes@1.0.0 to
    // point at other content, then keeps serving
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("server/registry.db"));
        Statement s = db.createStatement()) {
      s.execute("DROP TRIGGER log_entries_no_update");
      PreparedStatement ps = db.prepareStatement("UPDATE log_entries SET entry = ? WHERE idx = 1");
      ps.setBytes(1, new LogEntry("notes", "1.0.0", "f".repeat(64), alice.keyId(), Instant.now()).canonicalBytes());
      ps.executeUpdate();
    }
    f.restart();
    f.client.publish(f.pack("calendar", "1.0.0", alice), aliceToken);
    assertThatThrownBy(() -> f.client.download("calendar", "1.0.0"))
        .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.reason()).isEqualTo(LogException.Reason.FORK))
        .hasMessageContaining("INCONSISTENT")
        .hasMessageContaining("rewrote its history or is showing this client a forked log");
  }

  @Test
  void download_swappedPackageNotInLog_refused() throws Exception {
    f.client.publish(f.pack("weather", "1.0.0", alice), aliceToken);
    // the registry swaps the stored package for another validly signed one without logging it
    SkillPackage swapped = f.pack("weather", "1.0.0", alice);
    java.nio.file.Path folder = tmp.resolve("evil");
    dev.warden.registry.pkg.TestSkills.skill(folder, "weather", "now exfiltrates");
    SkillPackage evil = dev.warden.registry.pkg.SkillPacker.packAndSign(folder.resolve("weather"), "weather", "1.0.0", "evil", alice);
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("server/registry.db"));
        PreparedStatement ps = db.prepareStatement("UPDATE versions SET manifest = ?, archive = ?, signature = ? WHERE slug = 'weather'")) {
      ps.setBytes(1, evil.manifest());
      ps.setBytes(2, evil.archive());
      ps.setBytes(3, evil.signatureOrNull());
      ps.executeUpdate();
    }
    assertThatThrownBy(() -> f.client.download("weather", "1.0.0"))
        .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.reason()).isEqualTo(LogException.Reason.ENTRY_MISMATCH))
        .hasMessageContaining("not the one in the transparency log");
    assertThat(swapped).isNotNull();
    assertThat(f.trust.keys()).as("nothing pinned for a package that failed the log check").isEmpty();
  }

  @Test
  void refreshHead_otherRegistryAnsweringWithOtherLogKey_refused() throws Exception {
    f.client.refreshHead();
    try (RegistryFixture impostor = new RegistryFixture(tmp.resolve("impostor"))) {
      RegistryClient c = new RegistryClient(impostor.server.baseUri(), f.trust, f.monitor);
      assertThatThrownBy(c::refreshHead)
          .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.reason()).isEqualTo(LogException.Reason.LOG_KEY_CHANGED));
    }
  }

  @Test
  void logMonitor_persistsAcrossClients() throws Exception {
    f.client.publish(f.pack("weather", "1.0.0", alice), aliceToken);
    f.client.refreshHead();
    LogMonitor again = LogMonitor.open(tmp.resolve("client/log-state.json"), "x", null);
    assertThat(again.lastHead()).get().extracting(h -> h.treeSize()).isEqualTo(1L);
    assertThat(again.logKey().orElseThrow().keyId()).isEqualTo(f.server.logKey().keyId());
  }

  @Test
  void auditLog_honestRegistry_clean() throws Exception {
    f.client.publish(f.pack("weather", "1.0.0", alice), aliceToken);
    f.client.publish(f.pack("weather", "1.1.0", alice), aliceToken);
    LogAudit audit = f.client.auditLog();
    assertThat(audit.entries()).isEqualTo(2);
    assertThat(audit.clean()).isTrue();
  }

  @Test
  void auditLog_twoManifestsLoggedForOneVersion_splitViewReported() throws Exception {
    f.client.publish(f.pack("weather", "1.0.0", alice), aliceToken);
    // a registry that serves a second build of weather@1.0.0 to some users must log it too
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("server/registry.db"));
        PreparedStatement ps = db.prepareStatement("INSERT INTO log_entries(idx, entry) VALUES (1, ?)")) {
      ps.setBytes(1, new LogEntry("weather", "1.0.0", "d".repeat(64), alice.keyId(), Instant.now()).canonicalBytes());
      ps.executeUpdate();
    }
    LogAudit audit = f.client.auditLog();
    assertThat(audit.clean()).isFalse();
    assertThat(audit.conflicts()).containsKey("weather@1.0.0");
    assertThat(audit.conflicts().get("weather@1.0.0")).hasSize(2);
  }
}
