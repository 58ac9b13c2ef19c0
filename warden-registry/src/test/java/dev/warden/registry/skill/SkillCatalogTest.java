package dev.warden.registry.skill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillCatalogTest {
  @TempDir Path tmp;

  private void skill(Path root, String folder, String name, String desc, String metadata) throws Exception {
    Path d = root.resolve(folder);
    Files.createDirectories(d);
    Files.writeString(d.resolve("SKILL.md"), "---\nname: " + name + "\ndescription: " + desc + "\n" + metadata + "---\n# " + name + "\n");
  }

  @Test
  void load_sameNameInThreeTiers_workspaceWinsAndShadowingRecorded() throws Exception {
    Path ws = tmp.resolve("ws");
    Path managed = tmp.resolve("managed");
    Path bundled = tmp.resolve("bundled");
    skill(bundled, "weather", "weather", "bundled copy", "");
    skill(managed, "weather", "weather", "managed copy", "");
    skill(ws, "weather-local", "weather", "workspace copy", "");
    skill(bundled, "notes", "notes", "only bundled", "");
    SkillCatalog c = SkillCatalog.load(List.of(new SkillCatalog.Root(bundled, SkillTier.BUNDLED),
        new SkillCatalog.Root(managed, SkillTier.MANAGED), new SkillCatalog.Root(ws, SkillTier.WORKSPACE)),
        HostEnvironment.of(Set.of(), Set.of(), "linux"));
    assertThat(c.offered()).extracting(Skill::name).containsExactly("notes", "weather");
    assertThat(c.find("weather").orElseThrow().description()).isEqualTo("workspace copy");
    assertThat(c.shadowed()).extracting(s -> s.hidden().tier()).containsExactly(SkillTier.MANAGED, SkillTier.BUNDLED);
    assertThat(c.shadowed()).allSatisfy(s -> assertThat(s.winner().tier()).isEqualTo(SkillTier.WORKSPACE));
  }

  @Test
  void load_missingBinEnvOs_notOfferedWithReasons() throws Exception {
    Path root = tmp.resolve("r");
    skill(root, "gh", "gh", "d", "metadata: {openclaw: {requires: {bins: [gh]}}}\n");
    skill(root, "tok", "tok", "d", "metadata: {openclaw: {requires: {env: [TOK_API_KEY]}}}\n");
    skill(root, "mac", "mac", "d", "metadata: {openclaw: {os: [darwin]}}\n");
    skill(root, "any", "any", "d", "metadata: {openclaw: {requires: {anyBins: [rg, ag]}}}\n");
    skill(root, "ok", "ok", "d", "metadata: {openclaw: {requires: {bins: [jq], env: [HOME_DIR]}}}\n");
    SkillCatalog c = SkillCatalog.load(List.of(new SkillCatalog.Root(root, SkillTier.MANAGED)),
        HostEnvironment.of(Set.of("jq"), Set.of("HOME_DIR"), "linux"));
    assertThat(c.offered()).extracting(Skill::name).containsExactly("ok");
    assertThat(c.unavailable()).extracting(u -> u.skill().name()).containsExactly("any", "gh", "mac", "tok");
    assertThat(c.unavailable()).anySatisfy(u -> assertThat(u.reasons()).singleElement().asString().contains("'gh' on PATH"));
    assertThat(c.unavailable()).anySatisfy(u -> assertThat(u.reasons()).singleElement().asString().contains("TOK_API_KEY"));
    assertThat(c.unavailable()).anySatisfy(u -> assertThat(u.reasons()).singleElement().asString().contains("darwin"));
    assertThat(c.unavailable()).anySatisfy(u -> assertThat(u.reasons()).singleElement().asString().contains("[rg, ag]"));
  }

  @Test
  void load_unavailableHigherTier_stillShadowsLowerTier() throws Exception {
    Path ws = tmp.resolve("ws");
    Path bundled = tmp.resolve("b");
    skill(ws, "x", "x", "needs gh", "metadata: {openclaw: {requires: {bins: [gh]}}}\n");
    skill(bundled, "x", "x", "plain", "");
    SkillCatalog c = SkillCatalog.load(List.of(new SkillCatalog.Root(ws, SkillTier.WORKSPACE),
        new SkillCatalog.Root(bundled, SkillTier.BUNDLED)), HostEnvironment.of(Set.of(), Set.of(), "linux"));
    assertThat(c.offered()).isEmpty();
    assertThat(c.unavailable()).singleElement().satisfies(u -> assertThat(u.skill().tier()).isEqualTo(SkillTier.WORKSPACE));
    assertThat(c.shadowed()).singleElement().satisfies(s -> assertThat(s.hidden().tier()).isEqualTo(SkillTier.BUNDLED));
  }

  @Test
  void load_brokenSkill_listedAsFailureOthersLoad() throws Exception {
    Path root = tmp.resolve("r");
    skill(root, "good", "good", "d", "");
    Files.createDirectories(root.resolve("bad"));
    Files.writeString(root.resolve("bad/SKILL.md"), "---\nname: [unclosed\n---\n");
    SkillCatalog c = SkillCatalog.load(List.of(new SkillCatalog.Root(root, SkillTier.MANAGED)), HostEnvironment.of(Set.of(), Set.of(), "linux"));
    assertThat(c.offered()).extracting(Skill::name).containsExactly("good");
    assertThat(c.failures()).singleElement().satisfies(f -> assertThat(f.message()).contains("bad/SKILL.md:2"));
  }

  @Test
  void load_missingRoot_isEmpty() {
    SkillCatalog c = SkillCatalog.load(List.of(new SkillCatalog.Root(tmp.resolve("nope"), SkillTier.WORKSPACE)), HostEnvironment.system());
    assertThat(c.offered()).isEmpty();
    assertThat(c.failures()).isEmpty();
  }
}
