package dev.warden.monitor.hostscan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.kernel.Hashing;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillDenyListTest {
  @TempDir Path dir;

  @Test
  void builtIn_containsTheTestMarker() {
    String marker = "WARDEN-HOSTSCAN-TEST-SKILL: a harmless marker that the known-bad skill check must flag.\n";
    assertThat(SkillDenyList.builtIn().reason(Hashing.sha256Hex(marker))).hasValueSatisfying(r -> assertThat(r).contains("marker"));
    assertThat(SkillDenyList.builtIn().reason(Hashing.sha256Hex("anything else"))).isEmpty();
  }

  @Test
  void file_withBadLine_isRejectedWithLineNumber() throws Exception {
    Path f = Files.writeString(dir.resolve("d.txt"), "# ok\n" + "b".repeat(64) + " fine\nnot-a-hash reason\n");
    assertThatThrownBy(() -> SkillDenyList.builtInPlus(f)).hasMessageContaining("line 3");
  }

  @Test
  void file_uppercaseHash_isNormalised() throws Exception {
    Path f = Files.writeString(dir.resolve("d.txt"), "C".repeat(64) + " x\n");
    assertThat(SkillDenyList.builtInPlus(f).reason("c".repeat(64))).contains("x");
  }
}
