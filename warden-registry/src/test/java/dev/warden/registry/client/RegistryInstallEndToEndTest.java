package dev.warden.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.registry.pkg.InstallPolicy;
import dev.warden.registry.pkg.InstallRefusedException;
import dev.warden.registry.pkg.PackageException;
import dev.warden.registry.pkg.PublisherKeyPair;
import dev.warden.registry.pkg.ScanVerdict;
import dev.warden.registry.pkg.SkillInstaller;
import dev.warden.registry.pkg.SkillPackage;
import dev.warden.registry.pkg.UpdatePlan;
import dev.warden.registry.tlog.LogEntry;
import dev.warden.registry.tlog.LogException;
import dev.warden.registry.trust.TrustEvent;
import dev.warden.registry.trust.TrustStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry side of issue 4's end-to-end check: publish, discover, download, verify, install. */
class RegistryInstallEndToEndTest {
  @TempDir Path tmp;
  private RegistryFixture f;
  private PublisherKeyPair alice;
  private String token;
  private SkillInstaller installer;
  private final List<Path> scanned = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    f = new RegistryFixture(tmp);
    alice = PublisherKeyPair.generate("alice");
    token = f.server.issueToken("alice");
    installer = new SkillInstaller(tmp.resolve("home/skills"), tmp.resolve("home/skills.lock"), InstallPolicy.registriesOnly(f.server.baseUri()));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private SkillInstaller.Scanner scanner(ScanVerdict verdict) {
    return dir -> {
      scanned.add(dir);
      assertThat(dir.resolve("SKILL.md")).as("scanner sees the staged files").exists();
      return verdict;
    };
  }

  @Test
  void publishSearchDownloadInstall_roundTrip() throws Exception {
    f.client.publish(f.pack("weather", "1.0.0", alice), token);
    SkillSummary found = f.client.search("weather").getFirst();
    Download d = f.client.download(found.slug(), found.latestVersionOrNull(), true);
    SkillInstaller.InstallResult r = installer.install(d.pkg(), d.source(), d.yanked(), scanner(ScanVerdict.CLEAN));

    assertThat(scanned).singleElement().asString().contains(".quarantine");
    assertThat(r.dir().resolve("SKILL.md")).exists();
    assertThat(installer.lock().skill("weather").orElseThrow().manifestSha256()).isEqualTo(d.logEntry().manifestSha256());
    assertThat(installer.check("weather", f.trust).ok()).isTrue();
    assertThat(f.client.skill("weather").summary().installs()).isEqualTo(1);
    assertThat(f.trustEvents).extracting(TrustEvent::kind).containsExactly(TrustEvent.Kind.PINNED_ON_FIRST_USE);

    f.client.publish(f.pack("weather", "1.1.0", alice), token);
    Download next = f.client.download("weather", null, true);
    UpdatePlan plan = installer.plan(next.pkg());
    assertThat(plan.fromVersionOrNull()).isEqualTo("1.0.0");
    assertThat(plan.toVersion()).isEqualTo("1.1.0");
    installer.install(next.pkg(), next.source(), next.yanked(), scanner(ScanVerdict.CLEAN));
    assertThat(installer.lock().skill("weather").orElseThrow().version()).isEqualTo("1.1.0");
  }

  @Test
  void maliciousScan_staysQuarantined() throws Exception {
    f.client.publish(f.pack("weather", "1.0.0", alice), token);
    Download d = f.client.download("weather", "1.0.0", true);
    assertThatThrownBy(() -> installer.install(d.pkg(), d.source(), d.yanked(), scanner(ScanVerdict.MALICIOUS)))
        .isInstanceOf(InstallRefusedException.class).hasMessageContaining("stays quarantined");
    assertThat(installer.skillDir("weather")).doesNotExist();
  }

  @Test
  void yankedVersion_installRefused() throws Exception {
    f.client.publish(f.pack("weather", "1.0.0", alice), token);
    f.client.yank("weather", "1.0.0", "leaks tokens", token);
    Download d = f.client.download("weather", "1.0.0");
    assertThatThrownBy(() -> installer.install(d.pkg(), d.source(), d.yanked(), scanner(ScanVerdict.CLEAN)))
        .isInstanceOfSatisfying(InstallRefusedException.class, e -> assertThat(e.rule()).isEqualTo("version.yanked"));
  }

  @Test
  void registryServesTamperedArchive_downloadFailsClearly() throws Exception {
    SkillPackage p = f.pack("weather", "1.0.0", alice);
    f.client.publish(p, token);
    byte[] archive = p.archive();
    String text = new String(archive, java.nio.charset.StandardCharsets.ISO_8859_1);
    int at = text.indexOf("sunny");
    archive[at] = 'f';
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("server/registry.db"));
        PreparedStatement ps = db.prepareStatement("UPDATE versions SET archive = ? WHERE slug = 'weather'")) {
      ps.setBytes(1, archive);
      ps.executeUpdate();
    }
    assertThatThrownBy(() -> f.client.download("weather", "1.0.0"))
        .isInstanceOfSatisfying(PackageException.class, e -> assertThat(e.reason()).isEqualTo(PackageException.Reason.TAMPERED_ARCHIVE))
        .hasMessageContaining("scripts/run.sh").hasMessageContaining("changed after signing");
    assertThat(installer.lock().skills()).isEmpty();
  }

  @Test
  void unknownPublisher_withExplicitTrust_downloadFailsClearly() throws Exception {
    f.client.publish(f.pack("weather", "1.0.0", alice), token);
    TrustStore strict = TrustStore.open(tmp.resolve("strict.json"), TrustStore.Mode.EXPLICIT_ONLY, InstantSource.system(), e -> {});
    RegistryClient c = new RegistryClient(f.server.baseUri(), strict, f.monitor);
    assertThatThrownBy(() -> c.download("weather", "1.0.0"))
        .isInstanceOfSatisfying(PackageException.class, e -> assertThat(e.reason()).isEqualTo(PackageException.Reason.UNKNOWN_PUBLISHER))
        .hasMessageContaining("publisher 'alice'").hasMessageContaining("warden trust add");
    strict.trust(alice.publicKey());
    assertThat(c.download("weather", "1.0.0").pkg().trust()).isEqualTo(dev.warden.registry.pkg.TrustStatus.TRUSTED);
  }

  @Test
  void forkedLog_downloadFailsClearly() throws Exception {
    f.client.publish(f.pack("weather", "1.0.0", alice), token);
    f.client.download("weather", "1.0.0");
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("server/registry.db"))) {
      db.createStatement().execute("DROP TRIGGER log_entries_no_update");
      PreparedStatement ps = db.prepareStatement("UPDATE log_entries SET entry = ? WHERE idx = 0");
      ps.setBytes(1, new LogEntry("weather", "1.0.0", "e".repeat(64), alice.keyId(), Instant.now()).canonicalBytes());
      ps.executeUpdate();
    }
    f.restart();
    f.client.publish(f.pack("notes", "1.0.0", alice), token);
    assertThatThrownBy(() -> f.client.download("notes", "1.0.0"))
        .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.reason()).isEqualTo(LogException.Reason.FORK))
        .hasMessageContaining("Do not install from it");
    assertThat(Files.exists(tmp.resolve("home/skills/notes"))).isFalse();
  }
}
