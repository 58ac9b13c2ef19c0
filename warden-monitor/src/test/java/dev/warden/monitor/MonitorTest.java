package dev.warden.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.kernel.Action;
import dev.warden.kernel.WardenHome;
import dev.warden.kernel.audit.AuditLog;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.kernel.audit.InMemoryAuditStore;
import dev.warden.monitor.detect.BuiltinDetections;
import dev.warden.monitor.events.OcsfMapper;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingestion: attach and backfill, idempotency, overflow that never blocks the kernel and heals. */
class MonitorTest {
  @TempDir Path dir;

  @Test
  void attach_backfillsExistingRecords_thenFollowsLiveAppends() throws Exception {
    MonitorFixture.MutableClock clock = new MonitorFixture.MutableClock();
    InMemoryAuditStore store = new InMemoryAuditStore();
    AuditLog log = new AuditLog(store, dev.warden.kernel.AgentKey.generate(), clock, null);
    for (int i = 0; i < 300; i++) {
      log.append("event", null, "system:warden", Map.of("category", "gateway", "name", "tick", "n", i));
    }
    WardenHome home = new WardenHome(dir);
    try (Monitor m = Monitor.open(home, MonitorConfig.defaults(home), clock)) {
      long n = m.attach(log);
      assertThat(n).isEqualTo(301); // 300 events and the checkpoint after record 256
      log.append("event", null, "system:warden", Map.of("category", "gateway", "name", "tick", "n", 300));
      assertThat(m.flush(10_000)).isTrue();
      assertThat(m.eventStore().queryLong("SELECT COUNT(*) FROM events WHERE seq IS NOT NULL")).isEqualTo(302);
      assertThat(m.eventStore().ingestedSeq()).isEqualTo(302);
      assertThat(m.backfill(store)).isZero();
    }
  }

  @Test
  void backfill_isIdempotentBySeq_evenAfterRetentionDeletedTheRows() throws Exception {
    MonitorFixture.MutableClock clock = new MonitorFixture.MutableClock();
    InMemoryAuditStore store = new InMemoryAuditStore();
    AuditLog log = new AuditLog(store, dev.warden.kernel.AgentKey.generate(), clock, null);
    for (int i = 0; i < 50; i++) {
      log.append("event", null, "system:warden", Map.of("category", "gateway", "name", "tick"));
    }
    WardenHome home = new WardenHome(dir);
    Map<String, Object> cfg = Map.of("retention", Map.of("max_rows", 10));
    try (Monitor m = Monitor.open(home, MonitorConfig.fromMap(cfg, home), clock)) {
      assertThat(m.backfill(store)).isEqualTo(50);
      assertThat(m.prune()).isGreaterThanOrEqualTo(40);
      assertThat(m.eventStore().count()).isEqualTo(10);
      assertThat(m.backfill(store)).isZero();
      assertThat(m.eventStore().count()).isEqualTo(10);
    }
    try (Monitor m = Monitor.open(home, MonitorConfig.fromMap(cfg, home), clock)) {
      assertThat(m.backfill(store)).isZero();
    }
  }

  @Test
  void overflow_neverBlocksTheKernel_countsDrops_raisesAnAlert_andHealsFromTheAuditLog() throws Exception {
    try (MonitorFixture f = new MonitorFixture(dir, Map.of("queue_capacity", 16, "batch_max", 4))) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch writerBlocked = new CountDownLatch(1);
      java.util.concurrent.atomic.AtomicBoolean stalling = new java.util.concurrent.atomic.AtomicBoolean(true);
      f.monitor.addDetection("stall", e -> {
        if (!stalling.get()) {
          return null;
        }
        writerBlocked.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
        return null;
      });
      try {
        overflowWhileStalled(f, writerBlocked, release);
      } finally {
        stalling.set(false);
        release.countDown();
      }
      f.sync();
      long records = f.log.headSeq();
      assertThat(f.monitor.eventStore().queryLong("SELECT COUNT(*) FROM events WHERE seq IS NOT NULL")).isEqualTo(records);
      assertThat(f.monitor.eventStore().queryLong(
          "SELECT COUNT(*) FROM events WHERE record_type = 'monitor' AND event_name = 'ingest_overflow'")).isGreaterThanOrEqualTo(1);
      assertThat(f.monitor.recentAlerts(10)).anySatisfy(a -> assertThat(a.rule()).isEqualTo(BuiltinDetections.INGEST_OVERFLOW));
    }
  }

  /** Appends while the writer thread is stuck: every submit must return although nothing drains. */
  private static void overflowWhileStalled(MonitorFixture f, CountDownLatch writerBlocked, CountDownLatch release)
      throws Exception {
    {
      f.submit(new Action.FileRead("first"), f.owner("s"));
      assertThat(writerBlocked.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 40; i++) {
        f.submit(new Action.FileRead("f" + i), f.owner("s"));
      }
      assertThat(release.getCount()).as("the writer is still stuck: the kernel did not wait for it").isEqualTo(1);
      assertThat(f.monitor.stats().ingestDropped()).isGreaterThan(0);
    }
  }

  @Test
  void attachTwice_isRefused() throws Exception {
    try (MonitorFixture f = new MonitorFixture(dir)) {
      assertThatThrownBy(() -> f.monitor.attach(f.log)).isInstanceOf(MonitorException.class).hasMessageContaining("already attached");
    }
  }

  @Test
  void close_exportsTheSignedHead() throws Exception {
    MonitorFixture f = new MonitorFixture(dir);
    f.submit(new Action.FileRead("x"), f.owner("s"));
    f.close();
    String jsonl = java.nio.file.Files.readString(f.home.exports().resolve("events.jsonl"));
    assertThat(jsonl).contains("\"record_type\":\"head\"").contains("\"signature\"");
  }

  @Test
  void statsAfterIngest_reportCounts() throws Exception {
    try (MonitorFixture f = new MonitorFixture(dir)) {
      f.submit(new Action.FileRead("x"), f.owner("s"));
      f.sync();
      Monitor.Stats s = f.monitor.stats();
      assertThat(s.ingested()).isEqualTo(2);
      assertThat(s.ingestDropped()).isZero();
      assertThat(s.exporterDrops()).containsEntry("jsonl", 0L);
    }
  }

  @Test
  void mapperOnLiveRecords_matchesMapperOnBackfill() throws Exception {
    try (MonitorFixture f = new MonitorFixture(dir)) {
      f.submit(new Action.FileRead("x"), f.owner("s"));
      f.sync();
      AuditRecord r = f.log.store().tail(1).getFirst();
      String stored = f.monitor.eventStore().queryStrings("SELECT ocsf FROM events WHERE seq = " + r.seq()).getFirst();
      assertThat(stored).isEqualTo(OcsfMapper.fromAudit(r).json());
    }
  }
}
