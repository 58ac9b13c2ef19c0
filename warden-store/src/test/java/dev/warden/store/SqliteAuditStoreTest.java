package dev.warden.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.kernel.AgentKey;
import dev.warden.kernel.audit.AuditHead;
import dev.warden.kernel.audit.AuditLog;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.kernel.audit.AuditVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class SqliteAuditStoreTest {
  @TempDir Path home;
  AgentKey key;

  @BeforeEach
  void fill() throws Exception {
    key = AgentKey.loadOrCreate(home.resolve("keys"));
    try (StateDb db = StateDb.open(home.resolve("state.db"))) {
      AuditLog log = new AuditLog(new SqliteAuditStore(db), key, InstantSource.system(), home.resolve(AuditHead.FILE_NAME));
      for (int i = 0; i < 20; i++) {
        log.append(AuditRecord.Type.DECISION, "s" + (i % 3), "owner:owner",
            Map.of("action", "egress", "url", "https://example.org/" + i, "verdict", i % 2 == 0 ? "allow" : "ask", "n", i));
      }
      log.close();
    }
  }

  AuditVerifier.Result verify() throws Exception {
    try (StateDb db = StateDb.open(home.resolve("state.db"))) {
      return AuditVerifier.verify(new SqliteAuditStore(db), AgentKey.loadPublic(home.resolve("keys")),
          AuditHead.readOrNull(home.resolve(AuditHead.FILE_NAME)));
    }
  }

  void sql(String s) throws Exception {
    try (StateDb db = StateDb.open(home.resolve("state.db")); Statement st = db.connection().createStatement()) {
      st.executeUpdate(s);
    }
  }

  @Test
  void intactLog_verifiesAfterReopen() throws Exception {
    AuditVerifier.Result r = verify();
    assertThat(r.ok()).as(r.summary()).isTrue();
    assertThat(r.records()).isEqualTo(21);
  }

  @ParameterizedTest
  @ValueSource(strings = {"time", "type", "session", "principal", "body", "prev", "hash"})
  void singleByteChange_inAnyColumn_fails(String column) throws Exception {
    // Replace one character of the column's value in record 7, keeping the length.
    sql("UPDATE audit SET " + column + " = substr(" + column + ", 1, length(" + column + ") - 2) || "
        + "CASE WHEN substr(" + column + ", -2, 1) = 'x' THEN 'y' ELSE 'x' END || substr(" + column + ", -1) WHERE seq = 7");
    AuditVerifier.Result r = verify();
    assertThat(r.ok()).isFalse();
    assertThat(r.firstBadSeq()).isBetween(7L, 8L);
  }

  @Test
  void rawByteFlipInTheDatabaseFile_fails() throws Exception {
    // Find a record's text in the file itself and change one byte, as an attacker with a hex editor would.
    Path f = home.resolve("state.db");
    try (StateDb db = StateDb.open(f); Statement st = db.connection().createStatement()) {
      st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    assertThat(Files.exists(home.resolve("state.db-wal")) ? Files.size(home.resolve("state.db-wal")) : 0L).isZero();
    byte[] bytes = Files.readAllBytes(f);
    byte[] needle = "https://example.org/13".getBytes(StandardCharsets.UTF_8);
    // SQLite leaves stale copies of moved cells in free space; change every copy, the live one included.
    int at = indexOf(bytes, needle, 0);
    assertThat(at).isPositive();
    while (at >= 0) {
      bytes[at + needle.length - 1] = (byte) '4';
      at = indexOf(bytes, needle, at + 1);
    }
    Files.write(f, bytes);
    AuditVerifier.Result r = verify();
    assertThat(r.ok()).isFalse();
    assertThat(r.firstBadSeq()).isEqualTo(14);
  }

  @Test
  void deletedRow_fails() throws Exception {
    sql("DELETE FROM audit WHERE seq = 5");
    assertThat(verify().problem()).contains("missing");
  }

  @Test
  void truncatedTail_fails() throws Exception {
    sql("DELETE FROM audit WHERE seq > 15");
    assertThat(verify().problem()).contains("truncated");
  }

  @Test
  void deletedSignedHead_fails() throws Exception {
    sql("DELETE FROM meta WHERE key = 'audit_head'");
    assertThat(verify().problem()).contains("head is missing");
  }

  @Test
  void forgedHead_pointingAtATruncatedTail_fails() throws Exception {
    sql("DELETE FROM audit WHERE seq > 15");
    sql("UPDATE meta SET value = '15 ' || (SELECT hash FROM audit WHERE seq = 15) || ' k AAAA' WHERE key = 'audit_head'");
    assertThat(verify().problem()).contains("signature");
  }

  @Test
  void reorderedRows_fail() throws Exception {
    sql("UPDATE audit SET seq = -1 WHERE seq = 3");
    sql("UPDATE audit SET seq = 3 WHERE seq = 4");
    sql("UPDATE audit SET seq = 4 WHERE seq = -1");
    assertThat(verify().ok()).isFalse();
  }

  @Test
  void tailAndAfter_returnOldestFirst() throws Exception {
    try (StateDb db = StateDb.open(home.resolve("state.db"))) {
      SqliteAuditStore s = new SqliteAuditStore(db);
      List<AuditRecord> t = s.tail(3);
      assertThat(t).extracting(AuditRecord::seq).containsExactly(19L, 20L, 21L);
      assertThat(s.after(18, 2)).extracting(AuditRecord::seq).containsExactly(19L, 20L);
      assertThat(s.forSession("s1", 100)).allMatch(r -> "s1".equals(r.sessionOrNull()));
    }
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
