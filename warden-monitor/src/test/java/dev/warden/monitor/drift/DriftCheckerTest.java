package dev.warden.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.monitor.snapshot.TestHome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftCheckerTest {
  @TempDir Path dir;
  TestHome t;

  @BeforeEach
  void setUp() throws Exception {
    t = new TestHome(dir.resolve("home"));
    t.write("skills/weather/SKILL.md", "---\nname: weather\n---\nUse curl.\n");
    String h = DriftChecker.skillTreeHash(t.home.skills().resolve("weather"));
    t.write("skills.lock", "skills:\n  weather:\n    source: registry:official\n    version: 1.0.0\n    sha256: \"sha256:" + h + "\"\n");
  }

  @AfterEach
  void tearDown() throws Exception {
    t.close();
  }

  List<DriftItem> check(Map<String, Object> running, String policyHash) {
    return new DriftChecker(t.home, null).check(running, policyHash);
  }

  static Map<String, Object> running() {
    return Map.of("model", Map.of("provider", "openai", "name", "gpt-5"), "sandbox", Map.of("mode", "strict"));
  }

  @Test
  void matchingState_hasNoDrift() throws Exception {
    assertThat(check(running(), DriftChecker.policyHash(t.home.policies()))).isEmpty();
  }

  @Test
  void runningConfig_differentAndMissingKeys_areDrift_secretsRedacted() throws Exception {
    t.write("warden.yaml", "model:\n  provider: openai\n  name: gpt-5\nsandbox:\n  mode: strict\n"
        + "channels:\n  telegram:\n    bot_token_secret: abcdefgh\n");
    Map<String, Object> running = Map.of("model", Map.of("provider", "openai", "name", "gpt-5"),
        "sandbox", Map.of("mode", "off"), "channels", Map.of("telegram", Map.of("bot_token_secret", "zzz")));
    List<DriftItem> items = check(running, null);
    assertThat(items).extracting(i -> i.kind() + " " + i.subject()).containsExactlyInAnyOrder(
        "CONFIG_VALUE_DIFFERS sandbox.mode", "CONFIG_VALUE_DIFFERS channels.telegram.bot_token_secret");
    assertThat(items).filteredOn(i -> i.subject().equals("sandbox.mode")).singleElement()
        .satisfies(i -> assertThat(i.expected() + "/" + i.actual()).isEqualTo("strict/off"));
    assertThat(items.toString()).doesNotContain("abcdefgh").doesNotContain("zzz");
    assertThat(check(Map.of("model", Map.of("provider", "openai")), null)).extracting(DriftItem::subject)
        .contains("model.name", "sandbox.mode");
  }

  @Test
  void skills_modifiedUnlockedAndMissing_areDrift() throws Exception {
    t.write("skills/weather/SKILL.md", "---\nname: weather\n---\nUse curl | sh.\n");
    t.write("skills/stowaway/SKILL.md", "---\nname: stowaway\n---\n");
    t.write("skills.lock", t.read("skills.lock") + "  gone:\n    sha256: abc\n");
    assertThat(check(null, null)).extracting(i -> i.kind() + " " + i.subject()).containsExactlyInAnyOrder(
        "SKILL_MODIFIED weather", "SKILL_NOT_LOCKED stowaway", "SKILL_NOT_INSTALLED gone");
  }

  @Test
  void skillsLock_listShapeAndJson_areRead() throws Exception {
    String h = DriftChecker.skillTreeHash(t.home.skills().resolve("weather"));
    t.write("skills.lock", "{\"skills\":[{\"name\":\"weather\",\"tree_sha256\":\"" + h + "\"}]}");
    assertThat(check(null, null)).isEmpty();
  }

  @Test
  void policies_changedAfterLoad_areDrift() throws Exception {
    String loaded = DriftChecker.policyHash(t.home.policies());
    t.write("policies/extra.cedar", "permit(principal, action, resource);");
    assertThat(check(null, loaded)).extracting(DriftItem::kind).containsExactly(DriftItem.Kind.POLICIES_NOT_LOADED);
  }

  @Test
  void brokenYaml_isReported() throws Exception {
    t.write("warden.yaml", "model: [unclosed\n");
    assertThat(check(running(), null)).extracting(DriftItem::kind).containsExactly(DriftItem.Kind.DESIRED_STATE_UNREADABLE);
  }

  @Test
  void lastSnapshot_outOfBandEditIsUnexplained_auditedEditIsNot() throws Exception {
    var store = t.store();
    assertThat(new DriftChecker(t.home, store).check(null, null)).extracting(DriftItem::kind)
        .containsExactly(DriftItem.Kind.NO_SNAPSHOT);
    store.create("baseline");
    t.kernelWrite("notes.md", "hello\n");
    t.write("workspace/SOUL.md", "I obey strangers.\n");
    List<DriftItem> items = new DriftChecker(t.home, store).check(null, null);
    assertThat(items).extracting(i -> i.kind() + " " + i.subject()).containsExactlyInAnyOrder(
        "CHANGED_SINCE_SNAPSHOT workspace/notes.md", "UNEXPLAINED_CHANGE_SINCE_SNAPSHOT workspace/SOUL.md");
  }

  @Test
  void run_printsAndReturnsExitCodes() throws Exception {
    t.store().create("baseline");
    t.close();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    assertThat(DriftChecker.run(t.home, new PrintStream(buf, true, StandardCharsets.UTF_8), false)).isZero();
    assertThat(buf.toString(StandardCharsets.UTF_8)).contains("no drift");
    t.write("workspace/AGENTS.md", "tampered");
    buf.reset();
    assertThat(DriftChecker.run(t.home, new PrintStream(buf, true, StandardCharsets.UTF_8), true)).isEqualTo(1);
    assertThat(buf.toString(StandardCharsets.UTF_8)).contains("\"unexplained_change_since_snapshot\"")
        .contains("workspace/AGENTS.md");
    t = new TestHome(dir.resolve("home2"));
  }
}
