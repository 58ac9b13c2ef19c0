package dev.warden.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Opening Warden's SQLite files: directory created, WAL mode, a busy timeout, the durability asked for. */
public final class SqliteFiles {

  /** How long a statement waits for another process holding the write lock (the CLI vs the gateway). */
  public static final int BUSY_TIMEOUT_MILLIS = 10_000;

  /** {@code PRAGMA synchronous}: FULL for what must survive power loss (the audit), NORMAL for derived data. */
  public enum Durability {
    FULL,
    NORMAL
  }

  private SqliteFiles() {}

  public static Connection openWal(Path file, Durability durability, String what) throws SQLException {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create the directory for " + what + " " + file + ": " + e.getMessage(), e);
    }
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MILLIS);
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA synchronous=" + durability.name());
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }
}
