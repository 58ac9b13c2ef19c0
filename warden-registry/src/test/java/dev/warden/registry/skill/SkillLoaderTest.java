package dev.warden.registry.skill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillLoaderTest {
  @TempDir Path tmp;

  private Path skill(String name, String skillMd) throws Exception {
    Path d = tmp.resolve(name);
    Files.createDirectories(d);
    Files.writeString(d.resolve("SKILL.md"), skillMd);
    return d;
  }

  @Test
  void load_everySkillInSharedCorpus_loadsWithoutError() throws Exception {
    List<Path> dirs = SharedCorpus.skillDirs();
    assertThat(dirs).hasSizeGreaterThan(50);
    List<String> errors = new ArrayList<>();
    int withRequirements = 0;
    for (Path d : dirs) {
      try {
        Skill s = SkillLoader.load(d, SkillTier.MANAGED);
        assertThat(s.name()).isNotBlank();
        assertThat(s.description()).isNotBlank();
        assertThat(s.manifest()).isEqualTo(PermissionManifest.NONE);
        if (!s.requirements().bins().isEmpty() || !s.requirements().install().isEmpty()) {
          withRequirements++;
        }
      } catch (SkillFormatException e) {
        errors.add(e.getMessage());
      }
    }
    assertThat(errors).isEmpty();
    assertThat(withRequirements).isGreaterThan(20);
  }

  @Test
  void load_openclawMetadataWithTrailingCommas_readsRequirementsAndInstall() throws Exception {
    Path d = SharedCorpus.dir().resolve("real-skills/openclaw__sherpa-onnx-tts");
    Skill s = SkillLoader.load(d, SkillTier.BUNDLED);
    assertThat(s.name()).isEqualTo("sherpa-onnx-tts");
    assertThat(s.requirements().env()).containsExactly("SHERPA_ONNX_RUNTIME_DIR", "SHERPA_ONNX_MODEL_DIR");
    assertThat(s.requirements().os()).contains("linux", "darwin");
    assertThat(s.requirements().install()).hasSize(4);
    assertThat(s.requirements().install().getFirst().sha256OrNull()).hasSize(64);
    assertThat(s.requirements().install().getFirst().isDownload()).isTrue();
    assertThat(s.body()).contains("sherpa");
    assertThat(Files.readAllLines(s.skillFile()).get(s.bodyFirstLine() - 1)).isEqualTo(s.body().lines().findFirst().orElseThrow());
  }

  @Test
  void load_clawdbotAndMoltbotKeys_readAsRequirements() throws Exception {
    Path a = skill("a", "---\nname: a\ndescription: d\nmetadata: {\"clawdbot\": {\"requires\": {\"bins\": [\"jq\"], \"anyBins\": [\"rg\", \"grep\"]}, \"emoji\": \"x\"}}\n---\nbody\n");
    Path b = skill("b", "---\nname: b\ndescription: d\nmetadata:\n  moltbot:\n    requires:\n      env: [FOO_TOKEN]\n    os: [darwin]\n---\n");
    assertThat(SkillLoader.load(a, SkillTier.WORKSPACE).requirements().bins()).containsExactly("jq");
    assertThat(SkillLoader.load(a, SkillTier.WORKSPACE).requirements().anyBins()).containsExactly("rg", "grep");
    assertThat(SkillLoader.load(b, SkillTier.WORKSPACE).requirements().env()).containsExactly("FOO_TOKEN");
    assertThat(SkillLoader.load(b, SkillTier.WORKSPACE).requirements().os()).containsExactly("darwin");
  }

  @Test
  void load_malformedYaml_namesFileAndLine() throws Exception {
    Path d = skill("bad", "---\nname: bad\ndescription: d\nmetadata:\n  openclaw: { \"requires\": [ }\n---\nbody\n");
    assertThatThrownBy(() -> SkillLoader.load(d, SkillTier.MANAGED))
        .isInstanceOf(SkillFormatException.class)
        .hasMessageContaining(d.resolve("SKILL.md").toString() + ":5")
        .hasMessageContaining("malformed YAML")
        .satisfies(e -> assertThat(((SkillFormatException) e).line()).isEqualTo(5));
  }

  @Test
  void load_noFrontmatter_fails() throws Exception {
    Path d = skill("nofm", "# Just markdown\n");
    assertThatThrownBy(() -> SkillLoader.load(d, SkillTier.MANAGED))
        .isInstanceOf(SkillFormatException.class).hasMessageContaining(":1").hasMessageContaining("frontmatter");
  }

  @Test
  void load_unclosedFrontmatter_fails() throws Exception {
    Path d = skill("open", "---\nname: x\ndescription: y\n# body\n");
    assertThatThrownBy(() -> SkillLoader.load(d, SkillTier.MANAGED)).hasMessageContaining("never closed");
  }

  @Test
  void load_missingName_fails() throws Exception {
    Path d = skill("noname", "---\ndescription: y\n---\n");
    assertThatThrownBy(() -> SkillLoader.load(d, SkillTier.MANAGED)).hasMessageContaining("'name:'");
  }

  @Test
  void load_duplicateKey_fails() throws Exception {
    Path d = skill("dup", "---\nname: a\ndescription: y\nname: b\n---\n");
    assertThatThrownBy(() -> SkillLoader.load(d, SkillTier.MANAGED))
        .isInstanceOf(SkillFormatException.class).hasMessageContaining(":4");
  }

  @Test
  void load_noSkillMd_fails() {
    assertThatThrownBy(() -> SkillLoader.load(tmp, SkillTier.MANAGED)).hasMessageContaining("no SKILL.md");
  }

  @Test
  void load_yamlAliasBomb_failsCleanly() throws Exception {
    StringBuilder y = new StringBuilder("---\nname: a\ndescription: d\nx0: &a0 [1,1,1,1,1,1,1,1,1]\n");
    for (int i = 1; i < 30; i++) {
      y.append("x").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(",*a").append(i - 1).append("]\n");
    }
    Path d = skill("bomb", y + "---\n");
    assertThatThrownBy(() -> SkillLoader.load(d, SkillTier.MANAGED)).isInstanceOf(SkillFormatException.class);
  }

  @Test
  void load_listsFilesAndExtraFiles() throws Exception {
    Path d = skill("files", "---\nname: files\ndescription: d\n---\n");
    Files.createDirectories(d.resolve("scripts"));
    Files.writeString(d.resolve("scripts/run.sh"), "echo hi\n");
    Skill s = SkillLoader.load(d, SkillTier.MANAGED);
    assertThat(s.files()).containsExactly(Path.of("SKILL.md"), Path.of("scripts/run.sh"));
    assertThat(s.extraFiles()).containsExactly(Path.of("scripts/run.sh"));
  }

  @Test
  void load_inlineManifest_parsed() throws Exception {
    Path d = skill("m", """
        ---
        name: m
        description: d
        metadata:
          warden:
            network: [api.example.com, "*.cdn.example.com"]
            credentials:
              - name: EXAMPLE_TOKEN
                scopes: [read]
              - OTHER_KEY
            executables: [python3]
            files: {read: [workspace/in], write: [workspace/out/]}
            tools: [web_fetch]
        ---
        body
        """);
    PermissionManifest m = SkillLoader.load(d, SkillTier.MANAGED).manifest();
    assertThat(m.networkHosts()).containsExactly("*.cdn.example.com", "api.example.com");
    assertThat(m.credentials()).containsExactly(CredentialPermission.of("EXAMPLE_TOKEN", "read"), CredentialPermission.of("OTHER_KEY"));
    assertThat(m.executables()).containsExactly("python3");
    assertThat(m.writePaths()).containsExactly("workspace/out");
    assertThat(m.tools()).containsExactly("web_fetch");
  }

  @Test
  void load_sidecarManifestOnly_parsed() throws Exception {
    Path d = skill("side", "---\nname: side\ndescription: d\n---\n");
    Files.writeString(d.resolve("warden.yaml"), "network: [api.example.com]\nexecutables: [bash]\n");
    PermissionManifest m = SkillLoader.load(d, SkillTier.MANAGED).manifest();
    assertThat(m.networkHosts()).containsExactly("api.example.com");
    assertThat(m.allowsScripts()).isTrue();
  }

  @Test
  void load_sidecarAndInlineAgree_accepted() throws Exception {
    Path d = skill("both", "---\nname: both\ndescription: d\nmetadata:\n  warden:\n    network: [api.example.com]\n---\n");
    Files.writeString(d.resolve("warden.yaml"), "network: [API.example.com]\n");
    assertThat(SkillLoader.load(d, SkillTier.MANAGED).manifest().networkHosts()).containsExactly("api.example.com");
  }

  @Test
  void load_sidecarAndInlineDisagree_fails() throws Exception {
    Path d = skill("both", "---\nname: both\ndescription: d\nmetadata:\n  warden:\n    network: [api.example.com]\n---\n");
    Files.writeString(d.resolve("warden.yaml"), "network: [api.example.com, evil.example.net]\n");
    assertThatThrownBy(() -> SkillLoader.load(d, SkillTier.MANAGED))
        .isInstanceOf(SkillFormatException.class)
        .hasMessageContaining("differs").hasMessageContaining("evil.example.net");
  }

  @Test
  void load_unknownManifestKey_fails() throws Exception {
    Path d = skill("typo", "---\nname: typo\ndescription: d\nmetadata:\n  warden:\n    netwrok: [api.example.com]\n---\n");
    assertThatThrownBy(() -> SkillLoader.load(d, SkillTier.MANAGED))
        .hasMessageContaining("unknown permission manifest key 'netwrok'").hasMessageContaining(":5");
  }

  @Test
  void load_manifestHostWithScheme_fails() throws Exception {
    Path d = skill("url", "---\nname: url\ndescription: d\nmetadata:\n  warden:\n    network: [\"https://api.example.com/x\"]\n---\n");
    assertThatThrownBy(() -> SkillLoader.load(d, SkillTier.MANAGED)).hasMessageContaining("not URLs");
  }

  @Test
  void contentLabel_unvettedSkill_untrusted_signedAllowed_trusted() throws Exception {
    Skill s = SkillLoader.load(skill("lbl", "---\nname: lbl\ndescription: d\n---\n"), SkillTier.MANAGED);
    assertThat(s.contentLabel(false).isTainted()).isTrue();
    assertThat(s.contentLabel(false).sources()).containsExactly("skill:lbl");
    assertThat(s.contentLabel(true).isTainted()).isFalse();
    assertThat(dev.warden.kernel.Label.isTrustedSourceName(s.contentLabel(true).sources().first())).isTrue();
  }
}
