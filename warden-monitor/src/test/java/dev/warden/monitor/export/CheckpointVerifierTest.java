package dev.warden.monitor.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.kernel.AgentKey;
import dev.warden.kernel.WardenHome;
import dev.warden.kernel.audit.AuditHead;
import dev.warden.kernel.audit.AuditLog;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.kernel.audit.AuditVerifier;
import dev.warden.kernel.audit.InMemoryAuditStore;
import dev.warden.monitor.Monitor;
import dev.warden.monitor.MonitorConfig;
import dev.warden.monitor.MonitorFixture;
import dev.warden.store.SqliteAuditStore;
import dev.warden.store.StateDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code warden audit verify --against}: a local log rewritten into a new valid chain under the same
 * key passes local verification but contradicts the checkpoints exported before the rewrite.
 */
class CheckpointVerifierTest {
  @TempDir Path dir;
  final MonitorFixture.MutableClock clock = new MonitorFixture.MutableClock();

  static Map<String, Object> body(String what, int i) {
    return Map.of("category", "gateway", "name", what, "n", i);
  }

  /** A log with {@code n} records, followed live by a monitor exporting JSONL; returns the exports dir. */
  Path exportedLog(InMemoryAuditStore store, AgentKey key, int n) throws Exception {
    WardenHome home = new WardenHome(dir.resolve("home"));
    AuditLog log = new AuditLog(store, key, clock, null);
    try (Monitor m = Monitor.open(home, MonitorConfig.defaults(home), clock)) {
      m.attach(log);
      for (int i = 0; i < n; i++) {
        log.append("event", null, "system:warden", body("tick", i));
      }
      log.checkpoint();
      assertThat(m.flush(10_000)).isTrue();
    }
    return home.exports();
  }

  @Test
  void intactLog_agreesWithTheExport() throws Exception {
    InMemoryAuditStore store = new InMemoryAuditStore();
    AgentKey key = AgentKey.generate();
    Path exports = exportedLog(store, key, 600);
    CheckpointVerifier.Result r = CheckpointVerifier.verifyAgainst(store, key.publicKey(), exports);
    assertThat(r.ok()).as(r.summary()).isTrue();
    assertThat(r.checkpointsChecked()).isEqualTo(3); // after 256, after 512 (+2 checkpoints), and the final one
    assertThat(r.headsChecked()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void rewrittenSqliteLogUnderTheSameKey_passesLocally_butContradictsTheFirstExportedCheckpoint() throws Exception {
    MonitorFixture f = new MonitorFixture(dir.resolve("home"));
    for (int i = 0; i < 260; i++) {
      f.log.append("event", null, "system:warden", body("tick", i));
    }
    f.log.checkpoint();
    f.sync();
    f.close();
    Path exported = f.home.exports().resolve("events.jsonl");
    AgentKey key = AgentKey.loadOrCreate(f.home.keys());

    // The attacker holds WARDEN_HOME: wipe the chain and write a different, valid one with the same key.
    try (StateDb db = StateDb.open(f.home.stateDb())) {
      long n;
      try (Statement st = db.connection().createStatement()) {
        n = st.executeUpdate("DELETE FROM audit");
      }
      AuditLog forged = new AuditLog(new SqliteAuditStore(db), key, clock, f.home.auditHead());
      for (int i = 0; i < n - 1; i++) {
        forged.append("event", null, "system:warden", body(i == 100 ? "innocent" : "tick", i));
      }
      forged.close();
    }
    try (StateDb db = StateDb.open(f.home.stateDb())) {
      SqliteAuditStore store = new SqliteAuditStore(db);
      AuditVerifier.Result local = AuditVerifier.verify(store, key.publicKey(), AuditHead.readOrNull(f.home.auditHead()));
      assertThat(local.ok()).as("the rewrite is internally valid: " + local.summary()).isTrue();
      CheckpointVerifier.Result r = CheckpointVerifier.verifyAgainst(store, key.publicKey(), exported);
      assertThat(r.ok()).isFalse();
      assertThat(r.firstContradictedSeq()).isEqualTo(256);
      assertThat(r.problem()).contains("exported checkpoint at record 257").contains("rewritten");
    }
  }

  @Test
  void truncatedLog_contradictsTheExportedHead() throws Exception {
    InMemoryAuditStore store = new InMemoryAuditStore();
    AgentKey key = AgentKey.generate();
    Path exports = exportedLog(store, key, 100);
    List<AuditRecord> records = store.mutableRecords();
    records.subList(50, records.size()).clear();
    CheckpointVerifier.Result r = CheckpointVerifier.verifyAgainst(store, key.publicKey(), exports);
    assertThat(r.ok()).isFalse();
    assertThat(r.problem()).contains("truncated or rolled back");
  }

  @Test
  void exportWithAForgedCheckpointSignature_isReported_notTrusted() throws Exception {
    InMemoryAuditStore store = new InMemoryAuditStore();
    AgentKey key = AgentKey.generate();
    Path exports = exportedLog(store, key, 10);
    Path file = exports.resolve("events.jsonl");
    String text = Files.readString(file);
    String sigField = "\"signature\":\"";
    int at = text.indexOf(sigField);
    int start = at + sigField.length();
    String forged = text.substring(0, start) + (text.charAt(start) == 'A' ? 'B' : 'A') + text.substring(start + 1);
    Files.writeString(file, forged);
    CheckpointVerifier.Result r = CheckpointVerifier.verifyAgainst(store, key.publicKey(), file);
    assertThat(r.ok()).isFalse();
    assertThat(r.problem()).contains("not signed by agent key");
  }

  @Test
  void exportFromAnotherAgent_isNotEvidence() throws Exception {
    InMemoryAuditStore store = new InMemoryAuditStore();
    Path exports = exportedLog(store, AgentKey.generate(), 10);
    CheckpointVerifier.Result r = CheckpointVerifier.verifyAgainst(store, AgentKey.generate().publicKey(), exports);
    assertThat(r.ok()).isFalse();
    assertThat(r.checkpointsChecked()).isZero();
  }

  @Test
  void missingExport_saysWhatToPass() {
    assertThatThrownBy(() -> CheckpointVerifier.verifyAgainst(new InMemoryAuditStore(), AgentKey.generate().publicKey(),
        dir.resolve("nope.jsonl"))).hasMessageContaining("no exported events");
  }
}
