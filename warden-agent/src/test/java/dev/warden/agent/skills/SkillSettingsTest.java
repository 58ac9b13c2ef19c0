package dev.warden.agent.skills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.agent.config.ConfigException;
import dev.warden.registry.pkg.ScanVerdict;
import dev.warden.registry.skill.CredentialPermission;
import dev.warden.registry.trust.TrustStore;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SkillSettingsTest {
  @Test
  void empty_defaultsDenyEverything() throws Exception {
    SkillSettings s = SkillSettings.from(Map.of());
    assertThat(s.registryOrNull()).isNull();
    assertThat(s.trustMode()).isEqualTo(TrustStore.Mode.TRUST_ON_FIRST_USE);
    assertThat(s.maxVerdict()).isEqualTo(ScanVerdict.CLEAN);
    assertThat(s.grantsFor(Set.of("sh")).executables()).isEmpty();
    assertThat(s.grants().networkHosts()).isEmpty();
  }

  @Test
  void full_parsesRegistryTrustVerdictAndGrants() throws Exception {
    SkillSettings s = SkillSettings.from(Map.of("registry", "http://127.0.0.1:8790", "skills", Map.of(
        "trust", "explicit", "max_verdict", "suspicious", "allowed_registries", List.of("https://reg.example"),
        "grants", Map.of("network", List.of("api.example.com"), "credentials", List.of("A", Map.of("name", "B", "scopes", List.of("read"))),
            "executables", List.of("*")))));
    assertThat(s.registries()).containsExactly(URI.create("http://127.0.0.1:8790"), URI.create("https://reg.example"));
    assertThat(s.trustMode()).isEqualTo(TrustStore.Mode.EXPLICIT_ONLY);
    assertThat(s.maxVerdict()).isEqualTo(ScanVerdict.SUSPICIOUS);
    assertThat(s.grants().credentials()).containsExactly(CredentialPermission.of("A", "*"), CredentialPermission.of("B", "read"));
    assertThat(s.grantsFor(Set.of("python3")).executables()).containsExactly("python3");
  }

  @Test
  void badTrustMode_failsNamingTheChoices() {
    assertThatThrownBy(() -> SkillSettings.from(Map.of("skills", Map.of("trust", "yes"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("tofu or explicit");
  }

  @Test
  void nonHttpRegistry_fails() {
    assertThatThrownBy(() -> SkillSettings.from(Map.of("registry", "file:///tmp/x")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http(s) URL");
  }

  @Test
  void urlAsGrantedHost_fails() {
    assertThatThrownBy(() -> SkillSettings.from(Map.of("skills", Map.of("grants", Map.of("network", List.of("https://x.example/"))))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not URLs");
  }
}
