package dev.warden.kernel.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.kernel.AgentKey;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  @TempDir Path dir;
  InMemoryAuditStore store;
  AgentKey key;
  AuditLog log;

  @BeforeEach
  void setUp() throws Exception {
    store = new InMemoryAuditStore();
    key = AgentKey.generate();
    log = new AuditLog(store, key, InstantSource.fixed(Instant.parse("2026-11-26T10:00:00Z")), dir.resolve(AuditHead.FILE_NAME));
    for (int i = 0; i < 10; i++) {
      log.append(AuditRecord.Type.DECISION, "s1", "owner:owner", Map.of("action", "file_read", "n", i));
    }
  }

  private AuditVerifier.Result verify() throws Exception {
    return AuditVerifier.verify(store, key.publicKey(), AuditHead.readOrNull(dir.resolve(AuditHead.FILE_NAME)));
  }

  @Test
  void intactLog_verifies() throws Exception {
    log.checkpoint();
    AuditVerifier.Result r = verify();
    assertThat(r.ok()).as(r.summary()).isTrue();
    assertThat(r.records()).isEqualTo(11);
    assertThat(r.checkpoints()).isEqualTo(1);
  }

  @Test
  void editedRecord_failsAtThatRecord() throws Exception {
    List<AuditRecord> rs = store.mutableRecords();
    AuditRecord r = rs.get(4);
    Map<String, Object> body = new LinkedHashMap<>(r.body());
    body.put("n", 99);
    rs.set(4, new AuditRecord(r.seq(), r.time(), r.type(), r.sessionOrNull(), r.principal(), body, r.prev(), r.hash()));
    AuditVerifier.Result v = verify();
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(5);
    assertThat(v.problem()).contains("edited");
  }

  @Test
  void editedRecordWithRecomputedHash_breaksTheNextLink() throws Exception {
    List<AuditRecord> rs = store.mutableRecords();
    AuditRecord r = rs.get(4);
    rs.set(4, AuditRecord.create(r.seq(), r.time(), r.type(), r.sessionOrNull(), r.principal(), Map.of("forged", true), r.prev()));
    AuditVerifier.Result v = verify();
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(6);
  }

  @Test
  void deletedRecord_fails() throws Exception {
    store.mutableRecords().remove(3);
    AuditVerifier.Result v = verify();
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(4);
    assertThat(v.problem()).contains("deleted");
  }

  @Test
  void reorderedRecords_fail() throws Exception {
    List<AuditRecord> rs = store.mutableRecords();
    AuditRecord a = rs.get(2);
    rs.set(2, rs.get(3));
    rs.set(3, a);
    AuditVerifier.Result v = verify();
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(3);
  }

  @Test
  void truncatedLog_failsAgainstSignedHead() throws Exception {
    List<AuditRecord> rs = store.mutableRecords();
    rs.remove(rs.size() - 1);
    rs.remove(rs.size() - 1);
    AuditVerifier.Result v = verify();
    assertThat(v.ok()).isFalse();
    assertThat(v.problem()).contains("truncated");
  }

  @Test
  void forgedCheckpoint_fails() throws Exception {
    log.checkpoint();
    List<AuditRecord> rs = store.mutableRecords();
    AuditRecord cp = rs.getLast();
    Map<String, Object> body = new LinkedHashMap<>(cp.body());
    AgentKey other = AgentKey.generate();
    body.put("signature", java.util.Base64.getEncoder().encodeToString(other.sign(AuditHead.signedBytes(10, cp.prev()))));
    rs.set(rs.size() - 1, AuditRecord.create(cp.seq(), cp.time(), cp.type(), null, cp.principal(), body, cp.prev()));
    AuditVerifier.Result v = AuditVerifier.verify(store, key.publicKey(), null);
    assertThat(v.ok()).isFalse();
    assertThat(v.problem()).contains("signature");
  }

  @Test
  void checkpoints_areWrittenPeriodically() throws Exception {
    for (int i = 0; i < AuditLog.CHECKPOINT_INTERVAL_RECORDS; i++) {
      log.append(AuditRecord.Type.EVENT, null, "system:warden", Map.of("i", i));
    }
    assertThat(store.mutableRecords()).anyMatch(r -> r.type().equals(AuditRecord.Type.CHECKPOINT));
    assertThat(verify().ok()).isTrue();
  }
}
