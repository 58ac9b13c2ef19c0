package dev.warden.monitor;

import dev.warden.kernel.Action;
import dev.warden.kernel.ActionExecutor;
import dev.warden.kernel.AgentKey;
import dev.warden.kernel.ApprovalStore;
import dev.warden.kernel.Decision;
import dev.warden.kernel.GrantStore;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.Label;
import dev.warden.kernel.Normalizer;
import dev.warden.kernel.Principal;
import dev.warden.kernel.SessionContext;
import dev.warden.kernel.Submission;
import dev.warden.kernel.WardenHome;
import dev.warden.kernel.audit.AuditLog;
import dev.warden.monitor.hunt.HuntArgs;
import dev.warden.store.SqliteAuditStore;
import dev.warden.store.StateDb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real Warden home with a real kernel, a SQLite audit log and a monitor attached: tests drive
 * actions through {@link Kernel#submit} and events through {@link Kernel#recordEvent}, and the
 * monitor maps what the audit log records.
 */
public final class MonitorFixture implements AutoCloseable {

  /** A clock tests move by hand. */
  public static final class MutableClock implements InstantSource {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-16T10:00:00Z"));

    @Override
    public Instant instant() {
      return now.get();
    }

    public void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }
  }

  public final WardenHome home;
  public final MutableClock clock = new MutableClock();
  public final StateDb db;
  public final AgentKey key;
  public final AuditLog log;
  public final Kernel kernel;
  public final Monitor monitor;
  /** Decision per action kind; kinds not here are allowed by rule {@code test-allow}. */
  public final Map<String, Decision> decisions = new ConcurrentHashMap<>();

  public MonitorFixture(Path dir, Map<String, Object> monitorSection) throws Exception {
    home = new WardenHome(dir);
    db = StateDb.open(home.stateDb());
    key = AgentKey.loadOrCreate(home.keys());
    log = new AuditLog(new SqliteAuditStore(db), key, clock, home.auditHead());
    kernel = new Kernel(r -> decisions.getOrDefault(r.action().kind(), new Decision.Allow("test-allow", "allowed in tests")),
        Normalizer.IDENTITY, log, new ApprovalStore.InMemory(), new GrantStore.InMemory(), clock, Duration.ofMinutes(5));
    ActionExecutor<Action> ok = (a, s) -> ActionExecutor.Result.of("ok", Label.owner());
    for (Class<?> c : Action.class.getPermittedSubclasses()) {
      @SuppressWarnings("unchecked")
      Class<Action> ac = (Class<Action>) c;
      if (c != Action.ApprovalAnswer.class) {
        kernel.register(ac, ok);
      }
    }
    monitor = Monitor.open(home, MonitorConfig.fromMap(monitorSection, home), clock);
    monitor.attach(log);
  }

  public MonitorFixture(Path dir) throws Exception {
    this(dir, Map.of());
  }

  public SessionContext owner(String id) {
    return SessionContext.forOwner(id);
  }

  /** A session that has read untrusted content from {@code source}. */
  public SessionContext tainted(String id, String source) {
    SessionContext s = SessionContext.forOwner(id);
    s.observe("text from " + source, Label.untrusted(source));
    return s;
  }

  public SessionContext skillSession(String id, String skill) {
    return new SessionContext(id, new Principal(Principal.Kind.SKILL, skill), Set.of(), Label.bottom());
  }

  public Submission submit(Action a, SessionContext s) {
    return kernel.submit(a, s);
  }

  public void deny(String kind, String rule) {
    decisions.put(kind, new Decision.Deny(rule, "denied by " + rule));
  }

  public void event(String category, String name, String sessionOrNull, Map<String, Object> fields) {
    kernel.recordEvent(category, name, sessionOrNull, fields);
  }

  public void advance(Duration d) {
    clock.advance(d);
  }

  /** Waits until the monitor has ingested (and exported) everything appended so far. */
  public void sync() {
    if (!monitor.flush(10_000)) {
      throw new AssertionError("monitor did not drain within 10 s: " + monitor.stats());
    }
  }

  /** Runs {@code warden hunt} and returns what it printed. */
  public String hunt(HuntArgs args) {
    sync();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code = monitor.hunt(args, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    if (code != 0) {
      throw new AssertionError("hunt exited " + code + ": " + out);
    }
    return out;
  }

  /** Runs a built-in hunt with {@code --since since} and returns its rows. */
  public java.util.List<Map<String, Object>> rows(String hunt, String since, Map<String, String> params) throws Exception {
    sync();
    return new dev.warden.monitor.hunt.HuntRunner(home.eventsDb(), clock)
        .run(dev.warden.monitor.hunt.Hunts.byName(hunt).orElseThrow(),
            dev.warden.monitor.hunt.HuntRunner.parseSince(since, clock.instant()), params)
        .asMaps();
  }

  public java.util.List<Map<String, Object>> rows(String hunt) throws Exception {
    return rows(hunt, "7d", Map.of());
  }

  @Override
  public void close() throws Exception {
    monitor.close();
    log.close();
    db.close();
  }
}
