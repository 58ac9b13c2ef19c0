package dev.warden.monitor.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreTest {
  @TempDir Path dir;

  static OcsfEvent event(long seq, Instant t) {
    return OcsfMapper.monitor(t, "x", 1, "m", Map.of()).seqOrZero() == 0
        ? new OcsfEvent(seq, t, "event", OcsfClass.API_ACTIVITY, 99, 1, "s", "system:warden", null, null, null, null, null,
            "gateway", "tick", null, null, null, null, false, Map.of("class_uid", 6003), null)
        : null;
  }

  @Test
  void insert_isIdempotentBySeq_andAdvancesTheCursor() throws Exception {
    try (EventStore s = EventStore.open(dir.resolve("events.db"))) {
      Instant t = Instant.parse("2026-11-01T00:00:00Z");
      assertThat(s.insert(List.of(event(1, t), event(2, t)), 2)).isEqualTo(2);
      assertThat(s.insert(List.of(event(2, t), event(3, t)), 3)).isEqualTo(1);
      assertThat(s.count()).isEqualTo(3);
      assertThat(s.ingestedSeq()).isEqualTo(3);
      s.insert(List.of(), 1);
      assertThat(s.ingestedSeq()).as("the cursor never moves back").isEqualTo(3);
    }
  }

  @Test
  void prune_byAgeAndByRows() throws Exception {
    try (EventStore s = EventStore.open(dir.resolve("events.db"))) {
      Instant now = Instant.parse("2026-11-30T00:00:00Z");
      List<OcsfEvent> batch = new ArrayList<>();
      for (int i = 1; i <= 100; i++) {
        batch.add(event(i, now.minus(Duration.ofDays(100 - i))));
      }
      s.insert(batch, 100);
      assertThat(s.prune(new Retention(Duration.ofDays(30), 0), now)).isEqualTo(69);
      assertThat(s.prune(new Retention(null, 10), now)).isEqualTo(21);
      assertThat(s.queryLong("SELECT MIN(seq) FROM events")).isEqualTo(91);
      assertThat(s.prune(Retention.KEEP_ALL, now)).isZero();
      assertThat(s.ingestedSeq()).isEqualTo(100);
    }
  }

  static OcsfEvent egress(long seq, Instant t, String host) {
    dev.warden.kernel.audit.AuditRecord r = dev.warden.kernel.audit.AuditRecord.create(seq, t, "decision", "s", "owner:owner",
        Map.of("action", "egress", "resource", host, "fields", Map.of("method", "GET", "host", host), "verdict", "allow",
            "rule", "r", "label", "x", "facts", Map.of()), dev.warden.kernel.audit.AuditRecord.GENESIS);
    return OcsfMapper.fromAudit(r);
  }

  @Test
  void firstSeen_keepsTheEarliestSighting_andSurvivesRetention() throws Exception {
    try (EventStore s = EventStore.open(dir.resolve("events.db"))) {
      Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
      s.insert(List.of(egress(5, t0.plusSeconds(60), "a.test")), 5);
      s.insert(List.of(egress(2, t0, "a.test"), egress(6, t0.plusSeconds(90), "b.test")), 6);
      assertThat(s.queryStrings("SELECT time || ':' || seq FROM first_seen WHERE kind = 'egress_host' ORDER BY key"))
          .containsExactly(t0.toEpochMilli() + ":2", t0.plusSeconds(90).toEpochMilli() + ":6");
      s.prune(new Retention(null, 1), t0.plusSeconds(3600));
      assertThat(s.queryLong("SELECT COUNT(*) FROM first_seen")).isEqualTo(2);
    }
  }

  @Test
  void firstSeen_isDerivedOnceForAStoreThatPredatesIt() throws Exception {
    try (EventStore s = EventStore.open(dir.resolve("events.db"))) {
      s.insert(List.of(egress(1, Instant.parse("2026-11-01T00:00:00Z"), "a.test")), 1);
      try (Statement st = s.connection().createStatement()) {
        st.execute("DELETE FROM first_seen");
      }
    }
    try (EventStore s = EventStore.open(dir.resolve("events.db"))) {
      assertThat(s.queryStrings("SELECT key FROM first_seen")).containsExactly("a.test");
    }
  }

  @Test
  void retention_rejectsNonsense() {
    assertThatThrownBy(() -> new Retention(Duration.ZERO, 0)).hasMessageContaining("positive");
    assertThatThrownBy(() -> new Retention(null, -1)).hasMessageContaining(">= 0");
  }

  @Test
  void readOnlyConnection_refusesWrites() throws Exception {
    try (EventStore s = EventStore.open(dir.resolve("events.db"))) {
      s.insert(List.of(event(1, Instant.now())), 1);
    }
    try (Connection c = EventStore.openReadOnly(dir.resolve("events.db")); Statement st = c.createStatement()) {
      assertThatThrownBy(() -> st.executeUpdate("DELETE FROM events")).isInstanceOf(SQLException.class);
      // Even with query_only switched off, the connection was opened read-only.
      st.execute("PRAGMA query_only=0");
      assertThatThrownBy(() -> st.executeUpdate("DELETE FROM events")).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> st.executeUpdate("CREATE TABLE x(a)")).isInstanceOf(SQLException.class);
    }
    try (EventStore s = EventStore.open(dir.resolve("events.db"))) {
      assertThat(s.count()).isEqualTo(1);
    }
  }

  @Test
  void readOnlyConnection_missingStore_saysHowToCreateIt() {
    assertThatThrownBy(() -> EventStore.openReadOnly(dir.resolve("nope.db"))).hasMessageContaining("no event store");
  }
}
