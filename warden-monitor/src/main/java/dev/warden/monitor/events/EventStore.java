package dev.warden.monitor.events;

import dev.warden.store.SqliteFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code WARDEN_HOME/events.db}: the OCSF-shaped event store the hunting queries read.
 *
 * <h2>Design notes</h2>
 * <b>Derived data.</b> Every row comes from the audit log (or from the monitor itself), so the store
 * runs WAL with {@code synchronous=NORMAL}: a crash may lose the last batches, and {@link
 * #ingestedSeq()} (kept in the same transaction as the rows) tells the ingestor where to resume from
 * the audit log. The audit log, not this file, is the evidence.
 *
 * <p><b>Idempotency.</b> Audit rows are unique by {@code seq} ({@code INSERT OR IGNORE}), and the
 * cursor {@code ingested_seq} only moves forward, so replaying records never duplicates events —
 * even after retention has deleted the rows themselves.
 *
 * <p><b>Concurrency.</b> One write connection, used under {@link #lock()}. Readers (hunts) open their
 * own read-only connections: WAL lets them run beside the writer.
 */
public final class EventStore implements AutoCloseable {

  /** How long a statement waits for the write lock held by another process (the CLI vs the gateway). */
  public static final int BUSY_TIMEOUT_MILLIS = SqliteFiles.BUSY_TIMEOUT_MILLIS;

  /** Rows deleted per transaction when pruning, so pruning never holds the write lock for long. */
  public static final int PRUNE_CHUNK_ROWS = 50_000;

  static final int SCHEMA_VERSION = 1;

  /** {@code first_seen.kind} values; keys are the host, or {@code credential + "\n" + user|host}. */
  public static final String FIRST_EGRESS_HOST = "egress_host";
  public static final String FIRST_CREDENTIAL_USER = "credential_user";
  public static final String FIRST_CREDENTIAL_HOST = "credential_host";

  /** Column list of {@code events}, in insert order. */
  static final String COLUMNS = "seq, time, record_type, class_uid, activity_id, severity_id, session, principal, action, "
      + "resource, verdict, rule, status, event_category, event_name, host, skill, credential, target, tainted, ocsf";

  private final Path file;
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();

  private EventStore(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  public static EventStore open(Path file) throws SQLException {
    // Derived from the audit log (re-ingested from it after a crash), so NORMAL durability suffices.
    Connection c = SqliteFiles.openWal(file, SqliteFiles.Durability.NORMAL, "the event store");
    EventStore s = new EventStore(file, c);
    s.migrate();
    return s;
  }

  private void migrate() throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      st.execute("""
          CREATE TABLE IF NOT EXISTS events (
            id INTEGER PRIMARY KEY, seq INTEGER UNIQUE, time INTEGER NOT NULL, record_type TEXT NOT NULL,
            class_uid INTEGER NOT NULL, activity_id INTEGER NOT NULL, severity_id INTEGER NOT NULL,
            session TEXT, principal TEXT NOT NULL, action TEXT, resource TEXT, verdict TEXT, rule TEXT, status TEXT,
            event_category TEXT, event_name TEXT, host TEXT, skill TEXT, credential TEXT, target TEXT,
            tainted INTEGER NOT NULL, ocsf TEXT NOT NULL)""");
      // One index per hunting access path (docs/hunting.md names the query each serves).
      st.execute("CREATE INDEX IF NOT EXISTS events_time ON events(time)");
      st.execute("CREATE INDEX IF NOT EXISTS events_action_time ON events(action, time)");
      st.execute("CREATE INDEX IF NOT EXISTS events_category_time ON events(event_category, event_name, time)");
      st.execute("CREATE INDEX IF NOT EXISTS events_verdict_time ON events(verdict, time) WHERE verdict IS NOT NULL");
      st.execute("CREATE INDEX IF NOT EXISTS events_action_host ON events(action, host, time) WHERE host IS NOT NULL");
      st.execute("CREATE INDEX IF NOT EXISTS events_credential ON events(credential, time) WHERE credential IS NOT NULL");
      st.execute("CREATE INDEX IF NOT EXISTS events_skill ON events(skill, time) WHERE skill IS NOT NULL");
      st.execute("""
          CREATE TABLE IF NOT EXISTS alerts (
            id TEXT PRIMARY KEY, rule TEXT NOT NULL, severity TEXT NOT NULL, title TEXT NOT NULL, detail TEXT NOT NULL,
            session TEXT, dedup_key TEXT NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
            count INTEGER NOT NULL, trigger_seq INTEGER)""");
      st.execute("CREATE INDEX IF NOT EXISTS alerts_last_seen ON alerts(last_seen)");
      st.execute("CREATE INDEX IF NOT EXISTS alerts_key ON alerts(dedup_key, last_seen)");
      // First sightings (egress hosts, credential × user, credential × host), kept apart from the
      // events so "first seen" stays true after retention and costs an index range, not a scan.
      st.execute("""
          CREATE TABLE IF NOT EXISTS first_seen (
            kind TEXT NOT NULL, key TEXT NOT NULL, time INTEGER NOT NULL, seq INTEGER,
            PRIMARY KEY (kind, key)) WITHOUT ROWID""");
      st.execute("CREATE INDEX IF NOT EXISTS first_seen_time ON first_seen(kind, time)");
      boolean fill = false;
      try (ResultSet rs = st.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM first_seen) AND EXISTS (SELECT 1 FROM events)")) {
        fill = rs.next() && rs.getBoolean(1);
      }
      if (fill) {
        // A store from before first_seen existed: derive it once from the events.
        st.execute("INSERT OR IGNORE INTO first_seen SELECT '" + FIRST_EGRESS_HOST + "', host, MIN(time), MIN(seq) FROM events "
            + "WHERE action = 'egress' AND record_type = 'decision' AND host IS NOT NULL GROUP BY host");
        for (String[] k : new String[][] {{FIRST_CREDENTIAL_USER, "COALESCE(skill, principal)"}, {FIRST_CREDENTIAL_HOST, "COALESCE(host, '')"}}) {
          st.execute("INSERT OR IGNORE INTO first_seen SELECT '" + k[0] + "', credential || char(10) || " + k[1]
              + ", MIN(time), MIN(seq) FROM events WHERE credential IS NOT NULL AND ((action = 'credential_use' AND "
              + "record_type = 'decision') OR (event_category = 'credential' AND event_name = 'use')) GROUP BY 2");
        }
      }
      st.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "')");
      st.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('ingested_seq', '0')");
    }
  }

  public Path file() {
    return file;
  }

  /** The write connection; use only under {@link #lock()}. */
  public Connection connection() {
    return connection;
  }

  public ReentrantLock lock() {
    return lock;
  }

  /** Work done on the write connection inside {@link #inTransaction}. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on the write connection, holding {@link #lock()}. Nested
   * calls join the outer transaction, so an ingest batch — its events, the alerts it raises and its
   * findings — commits once.
   */
  public <T> T inTransaction(SqlWork<T> work) throws SQLException {
    lock.lock();
    try {
      if (!connection.getAutoCommit()) {
        return work.run();
      }
      connection.setAutoCommit(false);
      try {
        T result = work.run();
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Inserts events and advances the ingestion cursor to {@code cursorSeq} (never backwards), in one
   * transaction (or the caller's). Audit events already present are ignored.
   *
   * @return how many rows were inserted
   */
  public int insert(List<OcsfEvent> events, long cursorSeq) throws SQLException {
    return inTransaction(() -> {
      int n = insertRows(connection, events);
      if (cursorSeq > 0) {
        try (PreparedStatement ps = connection.prepareStatement(
            "UPDATE meta SET value = CAST(MAX(CAST(value AS INTEGER), ?) AS TEXT) WHERE key = 'ingested_seq'")) {
          ps.setLong(1, cursorSeq);
          ps.executeUpdate();
        }
      }
      return n;
    });
  }

  /** Inserts rows with a caller-managed transaction (benchmarks, {@link #insert}). */
  public static int insertRows(Connection c, List<OcsfEvent> events) throws SQLException {
    int n = 0;
    try (PreparedStatement ps = c.prepareStatement(
            "INSERT OR IGNORE INTO events(" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        PreparedStatement first = c.prepareStatement("""
            INSERT INTO first_seen(kind, key, time, seq) VALUES (?,?,?,?)
            ON CONFLICT(kind, key) DO UPDATE SET time = excluded.time, seq = excluded.seq
            WHERE excluded.time < first_seen.time""")) {
      for (OcsfEvent e : events) {
        bind(ps, e);
        int inserted = ps.executeUpdate();
        n += inserted;
        if (inserted == 1) {
          firstSeen(first, e);
        }
      }
    }
    return n;
  }

  private static void firstSeen(PreparedStatement ps, OcsfEvent e) throws SQLException {
    if (e.isDecision() && "egress".equals(e.actionOrNull()) && e.hostOrNull() != null) {
      sighting(ps, FIRST_EGRESS_HOST, e.hostOrNull(), e);
    }
    boolean credentialUse = e.credentialOrNull() != null
        && ((e.isDecision() && "credential_use".equals(e.actionOrNull())) || e.isEvent("credential", "use"));
    if (credentialUse) {
      String user = e.skillOrNull() != null ? e.skillOrNull() : e.principal();
      sighting(ps, FIRST_CREDENTIAL_USER, e.credentialOrNull() + "\n" + user, e);
      sighting(ps, FIRST_CREDENTIAL_HOST, e.credentialOrNull() + "\n" + (e.hostOrNull() == null ? "" : e.hostOrNull()), e);
    }
  }

  private static void sighting(PreparedStatement ps, String kind, String key, OcsfEvent e) throws SQLException {
    ps.setString(1, kind);
    ps.setString(2, key);
    ps.setLong(3, e.time().toEpochMilli());
    if (e.seqOrZero() > 0) {
      ps.setLong(4, e.seqOrZero());
    } else {
      ps.setNull(4, Types.INTEGER);
    }
    ps.executeUpdate();
  }

  static void bind(PreparedStatement ps, OcsfEvent e) throws SQLException {
    if (e.seqOrZero() > 0) {
      ps.setLong(1, e.seqOrZero());
    } else {
      ps.setNull(1, Types.INTEGER);
    }
    ps.setLong(2, e.time().toEpochMilli());
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
    ps.setString(16, e.hostOrNull());
    ps.setString(17, e.skillOrNull());
    ps.setString(18, e.credentialOrNull());
    ps.setString(19, e.targetKindOrNull());
    ps.setInt(20, e.tainted() ? 1 : 0);
    ps.setString(21, e.json());
  }

  /** The highest audit seq ever ingested (survives retention). */
  public long ingestedSeq() throws SQLException {
    lock.lock();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'ingested_seq'")) {
      return rs.next() ? rs.getLong(1) : 0;
    } finally {
      lock.unlock();
    }
  }

  public long count() throws SQLException {
    return queryLong("SELECT COUNT(*) FROM events");
  }

  public long queryLong(String sql) throws SQLException {
    lock.lock();
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    } finally {
      lock.unlock();
    }
  }

  /** The first column of every row of a query (used to seed detections' "seen before" sets). */
  public List<String> queryStrings(String sql) throws SQLException {
    lock.lock();
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Deletes events (and alerts) beyond the retention: older than the max age, then the oldest
   * rows above the max count. Works in chunks of {@link #PRUNE_CHUNK_ROWS}.
   *
   * @return how many events were deleted
   */
  public long prune(Retention retention, Instant now) throws SQLException {
    long deleted = 0;
    if (retention.maxAgeOrNull() != null) {
      long cutoff = now.minus(retention.maxAgeOrNull()).toEpochMilli();
      deleted += deleteChunked("DELETE FROM events WHERE id IN (SELECT id FROM events WHERE time < ? LIMIT "
          + PRUNE_CHUNK_ROWS + ")", cutoff);
      deleteChunked("DELETE FROM alerts WHERE rowid IN (SELECT rowid FROM alerts WHERE last_seen < ? LIMIT "
          + PRUNE_CHUNK_ROWS + ")", cutoff);
    }
    if (retention.maxRowsOrZero() > 0) {
      long excess = count() - retention.maxRowsOrZero();
      while (excess > 0) {
        long chunk = Math.min(excess, PRUNE_CHUNK_ROWS);
        lock.lock();
        try (PreparedStatement ps = connection.prepareStatement(
            "DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT ?)")) {
          ps.setLong(1, chunk);
          int n = ps.executeUpdate();
          deleted += n;
          if (n == 0) {
            break;
          }
        } finally {
          lock.unlock();
        }
        excess -= chunk;
      }
    }
    return deleted;
  }

  private long deleteChunked(String sql, long arg) throws SQLException {
    long total = 0;
    while (true) {
      lock.lock();
      try (PreparedStatement ps = connection.prepareStatement(sql)) {
        ps.setLong(1, arg);
        int n = ps.executeUpdate();
        total += n;
        if (n < PRUNE_CHUNK_ROWS) {
          return total;
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * A new connection that cannot write: opened read-only and with {@code PRAGMA query_only}, so
   * even a statement that slipped past the ad-hoc SQL check is refused by SQLite itself.
   */
  public static Connection openReadOnly(Path file) throws SQLException {
    if (!Files.exists(file)) {
      throw new SQLException("no event store at " + file + "; start the gateway (or `warden hunt` after it has run) "
          + "so the monitor can create it");
    }
    org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
    config.setReadOnly(true);
    Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA query_only=1");
      st.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MILLIS);
    }
    return c;
  }

  @Override
  public void close() throws SQLException {
    lock.lock();
    try {
      connection.close();
    } finally {
      lock.unlock();
    }
  }
}
