package dev.warden.registry.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallPolicyTest {
  @TempDir Path tmp;
  private final InstallPolicy policy = InstallPolicy.registriesOnly(URI.create("https://skills.example.test/"));

  @Test
  void checkSource_listedRegistry_allowedIgnoringTrailingSlashAndDefaultPort() {
    assertThat(policy.checkSource(new SkillSource.Registry(URI.create("https://SKILLS.example.test:443"), "a", "1.0.0")).allowed()).isTrue();
  }

  @Test
  void checkSource_otherRegistry_refusedNamingAllowedOnes() {
    InstallDecision d = policy.checkSource(new SkillSource.Registry(URI.create("https://evil.example.test"), "a", "1.0.0"));
    assertThat(d).isInstanceOf(InstallDecision.Refused.class);
    assertThat(d.rule()).isEqualTo("source.registry_not_allowed");
    assertThat(d.reason()).contains("https://skills.example.test");
  }

  @Test
  void checkSource_httpVersusHttps_different() {
    assertThat(policy.checkSource(new SkillSource.Registry(URI.create("http://skills.example.test"), "a", "1.0.0")).allowed()).isFalse();
  }

  @Test
  void checkSource_localPathByDefault_refused_withFlagAllowed() {
    SkillSource local = new SkillSource.LocalPath(tmp.resolve("x.tar"));
    assertThat(policy.checkSource(local).rule()).isEqualTo("source.local_path_not_allowed");
    assertThat(policy.withLocalPaths().checkSource(local).allowed()).isTrue();
  }

  @Test
  void checkPackage_unsigned_refusedUnlessUnsafeSwitch() throws Exception {
    PublisherKeyPair k = PublisherKeyPair.generate("alice");
    SkillPackage p = SkillPacker.pack(TestSkills.weatherSkill(tmp), "weather", "1.0.0", "d", k.publicKey());
    VerifiedPackage unsigned = PackageVerifier.insecureVerifyContentsOnly(p);
    assertThat(policy.checkPackage(unsigned, false).rule()).isEqualTo("signature.required");
    assertThat(policy.unsafeAllowingUnsigned().checkPackage(unsigned, false).allowed()).isTrue();
  }

  @Test
  void checkPackage_signatureOnly_refused() throws Exception {
    PublisherKeyPair k = PublisherKeyPair.generate("alice");
    VerifiedPackage v = PackageVerifier.verifySignatureOnly(SkillPacker.packAndSign(TestSkills.weatherSkill(tmp), "weather", "1.0.0", "d", k));
    assertThat(policy.checkPackage(v, false).rule()).isEqualTo("signature.trust_not_evaluated");
  }

  @Test
  void checkPackage_yanked_refused() throws Exception {
    PublisherKeyPair k = PublisherKeyPair.generate("alice");
    VerifiedPackage v = PackageVerifier.verify(SkillPacker.packAndSign(TestSkills.weatherSkill(tmp), "weather", "1.0.0", "d", k), key -> TrustStatus.TRUSTED);
    assertThat(policy.checkPackage(v, false).allowed()).isTrue();
    assertThat(policy.checkPackage(v, true).rule()).isEqualTo("version.yanked");
  }

  @Test
  void checkScan_thresholds() {
    assertThat(policy.checkScan("a", ScanVerdict.CLEAN).allowed()).isTrue();
    assertThat(policy.checkScan("a", ScanVerdict.SUSPICIOUS).rule()).isEqualTo("scan.verdict_above_threshold");
    InstallPolicy lenient = policy.withMaxScanVerdict(ScanVerdict.SUSPICIOUS);
    assertThat(lenient.checkScan("a", ScanVerdict.SUSPICIOUS).allowed()).isTrue();
    assertThat(lenient.checkScan("a", ScanVerdict.MALICIOUS).allowed()).isFalse();
  }

  @Test
  void maliciousThreshold_refusedAtConstruction() {
    assertThatThrownBy(() -> new InstallPolicy(List.of(), false, false, ScanVerdict.MALICIOUS, false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
