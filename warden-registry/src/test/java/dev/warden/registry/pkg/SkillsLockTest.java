package dev.warden.registry.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillsLockTest {
  @TempDir Path tmp;

  private static SkillsLock.Entry entry(String name, String version) {
    return new SkillsLock.Entry(name, version, "registry:https://r.example.test", "a".repeat(64), "alice", "b".repeat(64), TrustStatus.PINNED);
  }

  @Test
  void writeRead_roundTripsBothSections() throws Exception {
    SkillsLock lock = SkillsLock.empty().withQuarantined(entry("weather", "1.0.0")).withReleased("weather").withQuarantined(entry("notes", "2.0.0"));
    Path f = tmp.resolve("skills.lock");
    lock.write(f);
    SkillsLock back = SkillsLock.read(f);
    assertThat(back).isEqualTo(lock);
    assertThat(back.skill("weather")).get().extracting(SkillsLock.Entry::version).isEqualTo("1.0.0");
    assertThat(back.quarantinedEntry("notes")).isPresent();
    assertThat(back.skill("notes")).isEmpty();
  }

  @Test
  void write_sameContent_sameBytesInAnyOrder() throws Exception {
    SkillsLock a = SkillsLock.empty().withQuarantined(entry("b", "1.0.0")).withQuarantined(entry("a", "1.0.0")).withReleased("a").withReleased("b");
    SkillsLock b = SkillsLock.empty().withQuarantined(entry("a", "1.0.0")).withReleased("a").withQuarantined(entry("b", "1.0.0")).withReleased("b");
    a.write(tmp.resolve("a.lock"));
    b.write(tmp.resolve("b.lock"));
    assertThat(Files.readAllBytes(tmp.resolve("a.lock"))).isEqualTo(Files.readAllBytes(tmp.resolve("b.lock")));
    assertThat(Files.readString(tmp.resolve("a.lock"))).contains("\"manifestSha256\"").endsWith("\n");
  }

  @Test
  void read_missingFile_empty_corruptFile_fails() throws Exception {
    assertThat(SkillsLock.read(tmp.resolve("none.lock")).skills()).isEmpty();
    Files.writeString(tmp.resolve("bad.lock"), "{\"lockVersion\": 1, \"skills\": {\"x\": {}}}");
    assertThatThrownBy(() -> SkillsLock.read(tmp.resolve("bad.lock"))).hasMessageContaining("cannot read");
  }

  @Test
  void without_removesFromBothSections() {
    SkillsLock lock = SkillsLock.empty().withQuarantined(entry("a", "1.0.0")).withReleased("a").withQuarantined(entry("a", "1.1.0"));
    assertThat(lock.without("a").skills()).isEmpty();
    assertThat(lock.without("a").quarantined()).isEmpty();
  }
}
