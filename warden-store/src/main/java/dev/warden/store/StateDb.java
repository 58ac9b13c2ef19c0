package dev.warden.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code WARDEN_HOME/state.db}: sessions, messages, memory index, cron, approvals, grants and the
 * audit chain, in one SQLite file in WAL mode with {@code synchronous=FULL}, so a committed write
 * survives kill -9 and power loss.
 *
 * <p>Concurrency: one connection, used under {@link #lock()}; SQLite serialises writers anyway and
 * every statement here is short.
 */
public final class StateDb implements AutoCloseable {

  /** How long a statement waits for another process holding the write lock (the CLI vs the gateway). */
  public static final int BUSY_TIMEOUT_MILLIS = SqliteFiles.BUSY_TIMEOUT_MILLIS;

  private static final int SCHEMA_VERSION = 1;

  private final Path file;
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();

  private StateDb(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  public static StateDb open(Path file) throws SQLException {
    Connection c = SqliteFiles.openWal(file, SqliteFiles.Durability.FULL, "the state database");
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA foreign_keys=ON");
    }
    StateDb db = new StateDb(file, c);
    db.migrate();
    return db;
  }

  public Path file() {
    return file;
  }

  public Connection connection() {
    return connection;
  }

  public ReentrantLock lock() {
    return lock;
  }

  private void migrate() throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      st.execute("""
          CREATE TABLE IF NOT EXISTS audit (
            seq INTEGER PRIMARY KEY, time TEXT NOT NULL, type TEXT NOT NULL, session TEXT,
            principal TEXT NOT NULL, body TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL)""");
      st.execute("CREATE INDEX IF NOT EXISTS audit_session ON audit(session)");
      st.execute("""
          CREATE TABLE IF NOT EXISTS approvals (
            id TEXT PRIMARY KEY, status TEXT NOT NULL, created TEXT NOT NULL, json TEXT NOT NULL)""");
      st.execute("CREATE INDEX IF NOT EXISTS approvals_status ON approvals(status)");
      st.execute("CREATE TABLE IF NOT EXISTS grants (id TEXT PRIMARY KEY, json TEXT NOT NULL)");
      st.execute("""
          CREATE TABLE IF NOT EXISTS sessions (
            id TEXT PRIMARY KEY, principal TEXT NOT NULL, channel TEXT NOT NULL, title TEXT NOT NULL,
            label TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL)""");
      st.execute("""
          CREATE TABLE IF NOT EXISTS messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT, session TEXT NOT NULL, role TEXT NOT NULL,
            content TEXT NOT NULL, tool_calls TEXT, tool_call_id TEXT, label TEXT NOT NULL, time TEXT NOT NULL)""");
      st.execute("CREATE INDEX IF NOT EXISTS messages_session ON messages(session, id)");
      st.execute("""
          CREATE TABLE IF NOT EXISTS memory (
            id TEXT PRIMARY KEY, file TEXT NOT NULL, text TEXT NOT NULL, integrity TEXT NOT NULL,
            label TEXT NOT NULL, sources TEXT NOT NULL, session TEXT, status TEXT NOT NULL, created TEXT NOT NULL)""");
      st.execute("CREATE VIRTUAL TABLE IF NOT EXISTS memory_fts USING fts5(text, content='memory', content_rowid='rowid')");
      st.execute("""
          CREATE TABLE IF NOT EXISTS cron (
            name TEXT PRIMARY KEY, schedule TEXT NOT NULL, prompt TEXT NOT NULL, label TEXT NOT NULL,
            principal TEXT NOT NULL, created TEXT NOT NULL, enabled INTEGER NOT NULL, last_run TEXT, next_run TEXT)""");
      st.execute("CREATE TABLE IF NOT EXISTS file_labels (path TEXT PRIMARY KEY, label TEXT NOT NULL, session TEXT, time TEXT NOT NULL)");
      st.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "')");
    }
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
