package dev.warden.registry.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageUnpackerTest {
  @TempDir Path tmp;

  @Test
  void unpack_verifiedPackage_reproducesFolderWithExecutableBit() throws Exception {
    PublisherKeyPair key = PublisherKeyPair.generate("alice");
    Path folder = TestSkills.weatherSkill(tmp);
    VerifiedPackage v = PackageVerifier.verifySignatureOnly(SkillPacker.packAndSign(folder, "weather", "1.0.0", "d", key));
    Path out = tmp.resolve("out/weather");
    PackageUnpacker.unpack(v, out);
    assertThat(out.resolve("SKILL.md")).hasSameTextualContentAs(folder.resolve("SKILL.md"));
    assertThat(Files.readAllBytes(out.resolve("references/data.bin"))).isEqualTo(Files.readAllBytes(folder.resolve("references/data.bin")));
    assertThat(Files.isExecutable(out.resolve("scripts/run.sh"))).isTrue();
    assertThat(Files.isExecutable(out.resolve("SKILL.md"))).isFalse();
  }

  @Test
  void unpack_existingTarget_refused() throws Exception {
    PublisherKeyPair key = PublisherKeyPair.generate("alice");
    VerifiedPackage v = PackageVerifier.verifySignatureOnly(SkillPacker.packAndSign(TestSkills.weatherSkill(tmp), "weather", "1.0.0", "d", key));
    Path out = Files.createDirectories(tmp.resolve("exists"));
    assertThatThrownBy(() -> PackageUnpacker.unpack(v, out)).hasMessageContaining("already exists");
  }
}
