package dev.warden.registry.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.registry.pkg.PublisherKeyPair;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogMonitorTest {
  @TempDir Path tmp;
  private Connection db;
  private TransparencyLog log;
  private final PublisherKeyPair logKey = PublisherKeyPair.generate("registry-log");

  @BeforeEach
  void setUp() throws Exception {
    db = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("registry.db"));
    log = new TransparencyLog(db, logKey, InstantSource.system());
  }

  @AfterEach
  void tearDown() throws Exception {
    db.close();
  }

  /** A registry restart: the log is read from the file afresh. */
  private void restart() throws Exception {
    log = new TransparencyLog(db, logKey, InstantSource.system());
  }

  private LogMonitor monitor() throws Exception {
    return LogMonitor.open(tmp.resolve("client/log-state.json"), "test-registry", null);
  }

  static LogMonitor.ConsistencySource source(TransparencyLog l) {
    return (from, to) -> {
      try {
        return l.consistencyProof(from, to);
      } catch (java.sql.SQLException e) {
        throw new java.io.IOException(e);
      }
    };
  }

  private SignedTreeHead advance(LogMonitor m) throws Exception {
    return m.advance(log.head(), logKey.publicKey().publicKey(), source(log));
  }

  @Test
  void advance_growingLog_acceptedAndRemembered() throws Exception {
    LogMonitor m = monitor();
    advance(m);
    for (int i = 0; i < 5; i++) {
      log.append(TransparencyLogTest.entry(i));
      advance(m);
    }
    assertThat(monitor().lastHead()).get().extracting(SignedTreeHead::treeSize).isEqualTo(5L);
    assertThat(monitor().logKey()).get().isEqualTo(m.logKey().orElseThrow());
  }

  @Test
  void advance_rewrittenHistory_detectedAsFork() throws Exception {
    LogMonitor m = monitor();
    log.append(TransparencyLogTest.entry(0));
    log.append(TransparencyLogTest.entry(1));
    advance(m);
    SignedTreeHead remembered = m.lastHead().orElseThrow();
    // someone with write access to the registry's database rewrites entry 1, then the log grows
    try (Statement s = db.createStatement()) {
      s.execute("DROP TRIGGER log_entries_no_update");
      var ps = db.prepareStatement("UPDATE log_entries SET entry = ? WHERE idx = 1");
      ps.setBytes(1, TransparencyLogTest.entry(7).canonicalBytes());
      ps.executeUpdate();
    }
    restart();
    log.append(TransparencyLogTest.entry(2));
    assertThatThrownBy(() -> advance(m))
        .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.reason()).isEqualTo(LogException.Reason.FORK))
        .hasMessageContaining("INCONSISTENT")
        .hasMessageContaining(remembered.rootHashHex());
    assertThat(monitor().lastHead().orElseThrow().sameTreeAs(remembered)).as("refused head not remembered").isTrue();
  }

  @Test
  void advance_sameSizeDifferentRoot_detectedAsFork() throws Exception {
    LogMonitor m = monitor();
    log.append(TransparencyLogTest.entry(0));
    advance(m);
    try (Statement s = db.createStatement()) {
      s.execute("DROP TRIGGER log_entries_no_update");
      var ps = db.prepareStatement("UPDATE log_entries SET entry = ? WHERE idx = 0");
      ps.setBytes(1, TransparencyLogTest.entry(9).canonicalBytes());
      ps.executeUpdate();
    }
    restart();
    assertThatThrownBy(() -> advance(m))
        .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.reason()).isEqualTo(LogException.Reason.FORK));
  }

  @Test
  void advance_smallerTree_detectedAsRollback() throws Exception {
    LogMonitor m = monitor();
    log.append(TransparencyLogTest.entry(0));
    log.append(TransparencyLogTest.entry(1));
    advance(m);
    try (Statement s = db.createStatement()) {
      s.execute("DROP TRIGGER log_entries_no_delete");
      s.execute("DELETE FROM log_entries WHERE idx = 1");
    }
    restart();
    assertThatThrownBy(() -> advance(m))
        .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.reason()).isEqualTo(LogException.Reason.ROLLBACK))
        .hasMessageContaining("BACKWARDS");
  }

  @Test
  void advance_headSignedByOtherKey_refused() throws Exception {
    LogMonitor m = monitor();
    advance(m);
    PublisherKeyPair other = PublisherKeyPair.generate("registry-log");
    TransparencyLog impostor = new TransparencyLog(db, other, InstantSource.system());
    assertThatThrownBy(() -> m.advance(impostor.head(), other.publicKey().publicKey(), source(impostor)))
        .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.reason()).isEqualTo(LogException.Reason.LOG_KEY_CHANGED));
  }

  @Test
  void advance_badSignature_refused() throws Exception {
    LogMonitor m = monitor();
    SignedTreeHead h = log.head();
    byte[] sig = h.signature();
    sig[0] ^= 1;
    SignedTreeHead forged = new SignedTreeHead(h.treeSize(), h.rootHash(), h.timestamp(), h.logKeyId(), sig);
    assertThatThrownBy(() -> m.advance(forged, logKey.publicKey().publicKey(), source(log)))
        .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.reason()).isEqualTo(LogException.Reason.BAD_HEAD_SIGNATURE));
  }

  @Test
  void verifyInclusion_entryNotInTree_refused() throws Exception {
    log.append(TransparencyLogTest.entry(0));
    log.append(TransparencyLogTest.entry(1));
    SignedTreeHead h = log.head();
    LogMonitor.verifyInclusion(TransparencyLogTest.entry(1), 1, h, log.inclusionProof(1, 2), "r");
    assertThatThrownBy(() -> LogMonitor.verifyInclusion(TransparencyLogTest.entry(5), 1, h, log.inclusionProof(1, 2), "r"))
        .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.reason()).isEqualTo(LogException.Reason.NOT_INCLUDED));
  }

  @Test
  void stateFileFor_distinctPerRegistryStablePerUrl() {
    Path a = LogMonitor.stateFileFor(tmp, java.net.URI.create("https://r.example.test/"));
    Path b = LogMonitor.stateFileFor(tmp, java.net.URI.create("https://r.example.test"));
    Path c = LogMonitor.stateFileFor(tmp, java.net.URI.create("https://r.example.test:8443"));
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
    assertThat(a.getParent()).isEqualTo(tmp);
  }
}
