package dev.warden.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.kernel.AgentKey;
import dev.warden.kernel.WardenHome;
import dev.warden.kernel.audit.AuditLog;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.kernel.audit.InMemoryAuditStore;
import dev.warden.monitor.events.EventStore;
import dev.warden.monitor.events.OcsfEvent;
import dev.warden.monitor.events.OcsfMapper;
import dev.warden.monitor.hunt.Hunt;
import dev.warden.monitor.hunt.HuntResult;
import dev.warden.monitor.hunt.HuntRunner;
import dev.warden.monitor.hunt.Hunts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event ingest rate and hunting latency (docs/BENCHMARKS-monitor.md).
 *
 * <p>Run: {@code mvn -o -pl warden-monitor -am verify -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest=MonitorBenchmarkTest -Dmonitor.excludedGroups=none -Dwarden.bench.events=1000000}
 * (events in the big store; default 1,000,000). Figures go to stdout and target/bench-monitor.txt.
 *
 * <p>Workload: a mixed agent day — file reads, egress to a pool of 2,000 hosts, exec, memory and
 * instruction writes (some from tainted sessions), skill installs, cron, config, credential events,
 * denies — spread over 90 days of event time.
 */
@Tag("slow")
class MonitorBenchmarkTest {
  @TempDir Path dir;

  /** Records pushed through the live path (AuditLog → listener → writer → events.db + JSONL). */
  static final int LIVE_RECORDS = Integer.getInteger("warden.bench.live", 200_000);
  /** Events bulk-loaded into the big store for the hunting latencies. */
  static final long BIG_EVENTS = Long.getLong("warden.bench.events", 1_000_000L);
  /** Rows per transaction when bulk loading (and for the baseline). */
  static final int BULK_TX_ROWS = 50_000;
  /** Distinct template events; the big store cycles through them with fresh seq/time columns. */
  static final int TEMPLATES = 200_000;
  static final Instant START = Instant.parse("2026-08-28T00:00:00Z");
  static final Duration SPAN = Duration.ofDays(90);

  final StringBuilder report = new StringBuilder();
  double lastLoadCpuRate;

  void say(String line) {
    System.out.println(line);
    report.append(line).append('\n');
  }

  /** A plausible audit body for record {@code i}. */
  static Map<String, Object> body(int i, SplittableRandom rnd, String[] kind) {
    int r = rnd.nextInt(100);
    boolean tainted = rnd.nextInt(10) == 0;
    String label = tainted ? "untrusted/public[web:site" + rnd.nextInt(500) + ".test]" : "trusted/private[owner]";
    Map<String, Object> fields = new LinkedHashMap<>();
    String action;
    String resource;
    if (r < 30) {
      action = "file_read";
      resource = "notes/file" + rnd.nextInt(5000) + ".md";
      fields.put("path", resource);
    } else if (r < 55) {
      action = "egress";
      int h = (int) Math.min(1999, Math.abs(rnd.nextGaussian()) * 300);
      resource = "host" + h + ".example";
      fields.put("method", rnd.nextBoolean() ? "GET" : "POST");
      fields.put("url", "https://" + resource + "/p/" + rnd.nextInt(100000));
      fields.put("host", resource);
      fields.put("port", 443);
      fields.put("header_names", List.of("accept"));
      fields.put("body_chars", 0);
      fields.put("via", "web_fetch");
    } else if (r < 65) {
      action = "exec";
      resource = rnd.nextInt(5) == 0 ? "bash" : "ls";
      fields.put("argv", resource.equals("bash") ? List.of("bash", "-c", "echo " + rnd.nextInt(1000)) : List.of("ls", "-la"));
      fields.put("cwd", "/workspace");
      fields.put("network", false);
    } else if (r < 72) {
      action = rnd.nextBoolean() ? "memory_write" : "file_write";
      resource = action.equals("memory_write") ? "MEMORY.md" : (rnd.nextBoolean() ? "AGENTS.md" : "out/r" + rnd.nextInt(100) + ".txt");
      fields.put(action.equals("memory_write") ? "file" : "path", resource);
      fields.put("chars", 120);
      fields.put("preview", "remember this " + rnd.nextInt(10000));
    } else if (r < 74) {
      action = "skill_install";
      resource = "skill" + rnd.nextInt(300);
      fields.put("operation", "install");
      fields.put("name", resource);
      fields.put("source", rnd.nextInt(20) == 0 ? "https://unknown" + rnd.nextInt(50) + ".test/s.zip" : "registry:warden");
    } else if (r < 75) {
      action = "cron_create";
      resource = "job" + rnd.nextInt(1000);
      fields.put("name", resource);
      fields.put("schedule", "0 * * * *");
      fields.put("prompt", "check things");
    } else if (r < 76) {
      action = "config_change";
      resource = "sandbox.mode";
      fields.put("key", resource);
      fields.put("value", "strict");
    } else if (r < 82) {
      action = "credential_use";
      resource = "cred" + rnd.nextInt(40);
      fields.put("credential", resource);
      fields.put("host", "api" + rnd.nextInt(60) + ".example");
      fields.put("scope", rnd.nextBoolean() ? "read" : "repo");
    } else if (r < 90) {
      kind[0] = "outcome";
      return Map.of("action", "file_read", "resource", "notes/file" + rnd.nextInt(5000) + ".md", "status", "executed",
          "result_label", "trusted/private[owner]", "result_chars", 100);
    } else {
      kind[0] = "event";
      int e = rnd.nextInt(4);
      return switch (e) {
        case 0 -> Map.of("category", "credential", "name", "use", "credential", "cred" + rnd.nextInt(40),
            "host", "api" + rnd.nextInt(60) + ".example", "scope_used", rnd.nextBoolean() ? "read" : "repo");
        case 1 -> Map.of("category", "credential", "name", "bind", "credential", "cred" + rnd.nextInt(40),
            "scopes", List.of("read", "repo"));
        case 2 -> Map.of("category", "gateway", "name", "login_failed", "remote", "10.0.0." + rnd.nextInt(255));
        default -> Map.of("category", "skill", "name", "files_changed", "skill", "skill" + rnd.nextInt(300),
            "files", List.of("SKILL.md"));
      };
    }
    kind[0] = "decision";
    String verdict = rnd.nextInt(20) == 0 ? "deny" : (tainted && rnd.nextBoolean() ? "ask" : "allow");
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("action", action);
    b.put("resource", resource);
    b.put("fields", fields);
    b.put("verdict", verdict);
    b.put("rule", verdict.equals("deny") ? "default-deny" : "allow-" + action);
    b.put("reason", "benchmark");
    b.put("sources", List.of());
    b.put("label", label);
    b.put("facts", Map.of());
    return b;
  }

  @Test
  void ingestRateAndHuntLatency() throws Exception {
    say("# warden-monitor benchmark  " + Instant.now());
    say("machine: " + Runtime.getRuntime().availableProcessors() + " cpus, java " + System.getProperty("java.version")
        + ", max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB, load average at start "
        + java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    liveIngest();
    bigStore();
    Files.writeString(Path.of("target", "bench-monitor.txt"), report.toString());
  }

  /** The real path: AuditLog.append → listener → queue → writer (map, insert, detect, JSONL export). */
  void liveIngest() throws Exception {
    MonitorFixture.MutableClock clock = new MonitorFixture.MutableClock();
    WardenHome home = new WardenHome(dir.resolve("live"));
    AuditLog log = new AuditLog(new InMemoryAuditStore(), AgentKey.generate(), clock, null);
    SplittableRandom rnd = new SplittableRandom(1);
    String[] kind = new String[1];
    List<Map<String, Object>> bodies = new ArrayList<>(LIVE_RECORDS);
    List<String> kinds = new ArrayList<>(LIVE_RECORDS);
    for (int i = 0; i < LIVE_RECORDS; i++) {
      bodies.add(body(i, rnd, kind));
      kinds.add(kind[0]);
    }
    Map<String, Object> cfg = Map.of("queue_capacity", LIVE_RECORDS + 1024);
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    try (Monitor m = Monitor.open(home, MonitorConfig.fromMap(cfg, home), clock)) {
      m.attach(log);
      long writerId = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals("warden-monitor-ingest")).findFirst().orElseThrow().threadId();
      long writerCpu0 = mx.getThreadCpuTime(writerId);
      long appenderCpu0 = mx.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      for (int i = 0; i < LIVE_RECORDS; i++) {
        log.append(kinds.get(i), "s" + (i % 5000), "owner:owner", bodies.get(i));
        if ((i & 63) == 0) {
          clock.advance(Duration.ofSeconds(1));
        }
      }
      long appended = System.nanoTime() - t0;
      long appenderCpu = mx.getCurrentThreadCpuTime() - appenderCpu0;
      assertThat(m.flush(600_000)).isTrue();
      long total = System.nanoTime() - t0;
      long writerCpu = mx.getThreadCpuTime(writerId) - writerCpu0;
      Monitor.Stats s = m.stats();
      say(String.format("live ingest: %,d audit records (+%,d checkpoints); appending took %.1f s (%,.0f records/s incl. "
              + "SHA-256 chain + signatures, in-memory audit store); monitor caught up after %.1f s: %,.0f events/s "
              + "(map + insert + 10 detections + JSONL export); drops %d; alerts %d",
          LIVE_RECORDS, log.headSeq() - LIVE_RECORDS, appended / 1e9, LIVE_RECORDS / (appended / 1e9), total / 1e9,
          s.ingested() / (total / 1e9), s.ingestDropped(),
          m.eventStore().queryLong("SELECT COUNT(*) FROM alerts")));
      say(String.format("live ingest CPU time: writer thread %.1f µs per event (%,.0f events per CPU-second); "
              + "kernel-side append incl. listener offer %.1f µs per record",
          writerCpu / 1e3 / s.ingested(), s.ingested() / (writerCpu / 1e9), appenderCpu / 1e3 / LIVE_RECORDS));
    }
  }

  /** Bulk-load the big store (and the plain-SQLite baseline), then time every hunt. */
  void bigStore() throws Exception {
    say("load average before bulk load " + java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    AuditLog log = new AuditLog(new InMemoryAuditStore(), AgentKey.generate(), java.time.InstantSource.system(), null);
    SplittableRandom rnd = new SplittableRandom(2);
    String[] kind = new String[1];
    List<OcsfEvent> templates = new ArrayList<>(TEMPLATES);
    for (int i = 0; i < TEMPLATES; i++) {
      Map<String, Object> b = body(i, rnd, kind);
      templates.add(OcsfMapper.fromAudit(log.append(kind[0], "s" + rnd.nextInt(100_000), "owner:owner", b)));
    }
    long stepMillis = SPAN.toMillis() / BIG_EVENTS;

    Path baselineFile = dir.resolve("baseline.db");
    double baseRate = load(baselineFile, templates, stepMillis, true);
    double baseCpuRate = lastLoadCpuRate;
    long baseBytes = Files.size(baselineFile);
    Files.delete(baselineFile);

    Path eventsFile = dir.resolve("events.db");
    double rate = load(eventsFile, templates, stepMillis, false);
    double cpuRate = lastLoadCpuRate;
    // The bulk load bypasses the live path's first_seen upkeep; reopening derives it once, as for a
    // store that predates the table.
    long d0 = System.nanoTime();
    try (EventStore s = EventStore.open(eventsFile)) {
      say(String.format("first_seen derived on reopen in %.1f s: %,d sightings", (System.nanoTime() - d0) / 1e9,
          s.queryLong("SELECT COUNT(*) FROM first_seen")));
    }
    say(String.format("bulk load %,d events, %,d rows per transaction: events.db (8 indexes) %,.0f rows/s wall, "
            + "%,.0f rows per CPU-second, %,d MiB; baseline plain SQLite table, same rows and columns, no secondary index: "
            + "%,.0f rows/s wall, %,.0f rows per CPU-second, %,d MiB",
        BIG_EVENTS, BULK_TX_ROWS, rate, cpuRate, fileMiB(eventsFile), baseRate, baseCpuRate, baseBytes >> 20));

    Instant now = START.plus(SPAN);
    HuntRunner runner = new HuntRunner(eventsFile, () -> now);
    say("load average before hunts " + java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    say("hunt latency on " + String.format("%,d", BIG_EVENTS) + " events (--since 7d; first run cold-ish, then best of 3):");
    for (Hunt h : Hunts.all()) {
      Instant since = now.minus(Duration.ofDays(7));
      long first = timed(() -> runner.run(h, since, Map.of()));
      long best = Long.MAX_VALUE;
      HuntResult last = null;
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        last = runner.run(h, since, Map.of());
        best = Math.min(best, System.nanoTime() - t0);
      }
      say(String.format("  %-26s first %7.1f ms  best %7.1f ms  rows %,d%s", h.name(), first / 1e6, best / 1e6,
          last.rows().size(), last.truncated() ? " (truncated)" : ""));
    }
    long t0 = System.nanoTime();
    HuntResult adhoc = runner.runSql("SELECT action, COUNT(*) AS n FROM events WHERE time >= :since GROUP BY action",
        now.minus(Duration.ofDays(1)));
    say(String.format("  ad-hoc GROUP BY action over the last day: %.1f ms, %d rows", (System.nanoTime() - t0) / 1e6,
        adhoc.rows().size()));
    Files.deleteIfExists(eventsFile);
  }

  interface Work {
    Object run() throws Exception;
  }

  static long timed(Work w) throws Exception {
    long t0 = System.nanoTime();
    w.run();
    return System.nanoTime() - t0;
  }

  static long fileMiB(Path p) throws IOException {
    return Files.size(p) >> 20;
  }

  /** Loads {@link #BIG_EVENTS} rows; returns rows/s. The baseline table has the same columns and no index. */
  double load(Path file, List<OcsfEvent> templates, long stepMillis, boolean baseline) throws Exception {
    String[] json = new String[templates.size()];
    for (int i = 0; i < json.length; i++) {
      json[i] = templates.get(i).json();
    }
    Connection c;
    EventStore store = null;
    if (baseline) {
      c = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode=WAL");
        st.execute("PRAGMA synchronous=NORMAL");
        st.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, seq INTEGER, time INTEGER, record_type TEXT, class_uid INTEGER,"
            + " activity_id INTEGER, severity_id INTEGER, session TEXT, principal TEXT, action TEXT, resource TEXT, verdict TEXT,"
            + " rule TEXT, status TEXT, event_category TEXT, event_name TEXT, host TEXT, skill TEXT, credential TEXT,"
            + " target TEXT, tainted INTEGER, ocsf TEXT)");
      }
    } else {
      store = EventStore.open(file);
      c = store.connection();
    }
    c.setAutoCommit(false);
    long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO events(seq, time, record_type, class_uid, activity_id, "
        + "severity_id, session, principal, action, resource, verdict, rule, status, event_category, event_name, host, skill, "
        + "credential, target, tainted, ocsf) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      for (long i = 0; i < BIG_EVENTS; i++) {
        int k = (int) (i % templates.size());
        OcsfEvent e = templates.get(k);
        ps.setLong(1, i + 1);
        ps.setLong(2, START.toEpochMilli() + i * stepMillis);
        ps.setString(3, e.recordType());
        ps.setInt(4, e.ocsfClass().uid);
        ps.setInt(5, e.activityId());
        ps.setInt(6, e.severityId());
        ps.setString(7, e.sessionOrNull());
        ps.setString(8, e.principal());
        ps.setString(9, e.actionOrNull());
        ps.setString(10, e.resourceOrNull());
        ps.setString(11, e.verdictOrNull());
        ps.setString(12, e.ruleOrNull());
        ps.setString(13, e.statusOrNull());
        ps.setString(14, e.eventCategoryOrNull());
        ps.setString(15, e.eventNameOrNull());
        // A few first-time hosts and credential users in the last week, so the first-seen hunts find something.
        boolean late = i >= BIG_EVENTS - BIG_EVENTS * 7 / 90 && i % 997 == 0;
        ps.setString(16, late && e.hostOrNull() != null ? "fresh" + i + ".example" : e.hostOrNull());
        ps.setString(17, late && e.credentialOrNull() != null ? "late-skill-" + i : e.skillOrNull());
        ps.setString(18, e.credentialOrNull());
        ps.setString(19, e.targetKindOrNull());
        ps.setInt(20, e.tainted() ? 1 : 0);
        ps.setString(21, json[k]);
        ps.executeUpdate();
        if ((i + 1) % BULK_TX_ROWS == 0) {
          c.commit();
        }
      }
      c.commit();
    }
    double rate = BIG_EVENTS / ((System.nanoTime() - t0) / 1e9);
    lastLoadCpuRate = BIG_EVENTS / ((java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e9);
    c.setAutoCommit(true);
    if (store != null) {
      store.close();
    } else {
      c.close();
    }
    return rate;
  }
}
