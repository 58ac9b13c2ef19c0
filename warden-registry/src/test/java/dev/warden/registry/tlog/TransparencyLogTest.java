package dev.warden.registry.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.registry.pkg.PublisherKeyPair;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransparencyLogTest {
  @TempDir Path tmp;
  private Connection db;
  private TransparencyLog log;
  private final PublisherKeyPair logKey = PublisherKeyPair.generate("registry-log");
  private final InstantSource clock = InstantSource.fixed(Instant.parse("2026-11-26T00:00:00Z"));

  static LogEntry entry(int i) {
    return new LogEntry("skill-" + i, "1.0." + i, "%064x".formatted(i), "a".repeat(64), Instant.parse("2026-11-26T00:00:00Z").plusSeconds(i));
  }

  @BeforeEach
  void setUp() throws Exception {
    db = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("registry.db"));
    log = new TransparencyLog(db, logKey, clock);
  }

  @AfterEach
  void tearDown() throws Exception {
    db.close();
  }

  @Test
  void head_empty_signedEmptyRoot() throws Exception {
    SignedTreeHead h = log.head();
    assertThat(h.treeSize()).isZero();
    assertThat(h.rootHash()).isEqualTo(MerkleTree.emptyRoot());
    assertThat(h.verifies(logKey.publicKey().publicKey())).isTrue();
  }

  @Test
  void append_thenProofs_verifyAgainstSignedHeads() throws Exception {
    SignedTreeHead first = null;
    for (int i = 0; i < 9; i++) {
      assertThat(log.append(entry(i))).isEqualTo(i);
      if (i == 3) {
        first = log.head();
      }
    }
    SignedTreeHead head = log.head();
    assertThat(head.treeSize()).isEqualTo(9);
    for (int i = 0; i < 9; i++) {
      assertThat(MerkleTree.verifyInclusion(log.entry(i).leafHash(), i, 9, log.inclusionProof(i, 9), head.rootHash())).isTrue();
    }
    assertThat(MerkleTree.verifyConsistency(4, 9, first.rootHash(), head.rootHash(), log.consistencyProof(4, 9))).isTrue();
    assertThat(log.entries(2, 5)).hasSize(3);
  }

  @Test
  void rewrite_throughSql_refusedByTrigger() throws Exception {
    log.append(entry(0));
    try (Statement s = db.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate("UPDATE log_entries SET entry = x'00' WHERE idx = 0"))
          .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
      assertThatThrownBy(() -> s.executeUpdate("DELETE FROM log_entries"))
          .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
    }
  }

  @Test
  void head_signature_failsWithOtherKey() throws Exception {
    log.append(entry(0));
    assertThat(log.head().verifies(PublisherKeyPair.generate("registry-log").publicKey().publicKey())).isFalse();
  }

  @Test
  void proofs_outOfRange_refused() throws Exception {
    log.append(entry(0));
    assertThatThrownBy(() -> log.inclusionProof(1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.consistencyProof(0, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.entries(0, TransparencyLog.MAX_ENTRIES_PER_PAGE + 1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(log.consistencyProof(0, 1)).isEqualTo(List.of());
  }

  @Test
  void shrinkUnderRunningServer_refusedToServe() throws Exception {
    log.append(entry(0));
    log.append(entry(1));
    log.head();
    try (Statement s = db.createStatement()) {
      s.execute("DROP TRIGGER log_entries_no_delete");
      s.execute("DELETE FROM log_entries WHERE idx = 1");
    }
    assertThatThrownBy(() -> log.head()).isInstanceOf(IllegalStateException.class).hasMessageContaining("append-only");
  }

  @Test
  void rewriteUnderRunningServer_notServedUntilRestart() throws Exception {
    log.append(entry(0));
    SignedTreeHead before = log.head();
    try (Statement s = db.createStatement()) {
      s.execute("DROP TRIGGER log_entries_no_update");
    }
    try (var ps = db.prepareStatement("UPDATE log_entries SET entry = ? WHERE idx = 0")) {
      ps.setBytes(1, entry(5).canonicalBytes());
      ps.executeUpdate();
    }
    assertThat(log.head().sameTreeAs(before)).isTrue();
    assertThat(new TransparencyLog(db, logKey, clock).head().sameTreeAs(before)).isFalse();
  }
}
