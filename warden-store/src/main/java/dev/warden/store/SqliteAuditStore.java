package dev.warden.store;

import dev.warden.kernel.audit.AuditException;
import dev.warden.kernel.audit.AuditHead;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.kernel.audit.AuditStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The audit chain in {@code state.db}. Each append is its own committed transaction
 * ({@code synchronous=FULL}), so a record the kernel has been told is stored survives kill -9.
 * The body is stored as the exact canonical JSON that was hashed.
 */
public final class SqliteAuditStore implements AuditStore {
  private final StateDb db;
  private final boolean ownsDb;

  public SqliteAuditStore(StateDb db) {
    this(db, false);
  }

  private SqliteAuditStore(StateDb db, boolean ownsDb) {
    this.db = db;
    this.ownsDb = ownsDb;
  }

  @Override
  public void append(AuditRecord r) throws AuditException {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement(
        "INSERT INTO audit(seq, time, type, session, principal, body, prev, hash) VALUES (?,?,?,?,?,?,?,?)")) {
      ps.setLong(1, r.seq());
      ps.setString(2, r.time().toString());
      ps.setString(3, r.type());
      ps.setString(4, r.sessionOrNull());
      ps.setString(5, r.principal());
      ps.setString(6, r.bodyJson());
      ps.setString(7, r.prev());
      ps.setString(8, r.hash());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new AuditException("cannot append audit record " + r.seq() + " to " + db.file() + ": " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }

  @Override
  public boolean storesHead() {
    return true;
  }

  /** The record and the signed head commit together: one fsync, and the head is never ahead or behind. */
  @Override
  public void append(AuditRecord r, AuditHead head) throws AuditException {
    db.lock().lock();
    try {
      var c = db.connection();
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(
              "INSERT INTO audit(seq, time, type, session, principal, body, prev, hash) VALUES (?,?,?,?,?,?,?,?)");
          PreparedStatement hs = c.prepareStatement(
              "INSERT INTO meta(key, value) VALUES ('audit_head', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
        ps.setLong(1, r.seq());
        ps.setString(2, r.time().toString());
        ps.setString(3, r.type());
        ps.setString(4, r.sessionOrNull());
        ps.setString(5, r.principal());
        ps.setString(6, r.bodyJson());
        ps.setString(7, r.prev());
        ps.setString(8, r.hash());
        ps.executeUpdate();
        hs.setString(1, head.seq() + " " + head.hash() + " " + head.keyId() + " "
            + java.util.Base64.getEncoder().encodeToString(head.signature()));
        hs.executeUpdate();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new AuditException("cannot append audit record " + r.seq() + " to " + db.file() + ": " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }

  @Override
  public Optional<AuditHead> head() throws AuditException {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement("SELECT value FROM meta WHERE key = 'audit_head'");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      String[] p = rs.getString(1).split(" ");
      return Optional.of(new AuditHead(Long.parseLong(p[0]), p[1], p[2], java.util.Base64.getDecoder().decode(p[3])));
    } catch (SQLException | RuntimeException e) {
      throw new AuditException("the signed audit head in " + db.file() + " is unreadable: " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }

  @Override
  public Optional<AuditRecord> last() throws AuditException {
    List<AuditRecord> t = tail(1);
    return t.isEmpty() ? Optional.empty() : Optional.of(t.getFirst());
  }

  @Override
  public void forEach(Consumer<AuditRecord> consumer) throws AuditException {
    long[] after = {0};
    while (true) {
      List<AuditRecord> page = pageByRowid(after, 2000);
      if (page.isEmpty()) {
        return;
      }
      for (AuditRecord r : page) {
        consumer.accept(r);
      }
    }
  }

  /** Pages in physical (rowid) order so that reordered seq values show up as reordered. */
  private List<AuditRecord> pageByRowid(long[] afterRowid, int limit) throws AuditException {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement(
        "SELECT rowid, seq, time, type, session, principal, body, prev, hash FROM audit WHERE rowid > ? ORDER BY rowid LIMIT ?")) {
      ps.setLong(1, afterRowid[0]);
      ps.setInt(2, limit);
      List<AuditRecord> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          afterRowid[0] = rs.getLong(1);
          out.add(read(rs, 2));
        }
      }
      return out;
    } catch (SQLException | RuntimeException e) {
      throw new AuditException("cannot read the audit log in " + db.file() + ": " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }

  private static final String COLUMNS = "SELECT seq, time, type, session, principal, body, prev, hash FROM audit ";

  @Override
  public List<AuditRecord> tail(int n) throws AuditException {
    List<AuditRecord> out = query(COLUMNS + "ORDER BY seq DESC LIMIT ?", n);
    java.util.Collections.reverse(out);
    return out;
  }

  @Override
  public List<AuditRecord> after(long afterSeq, int limit) throws AuditException {
    return query(COLUMNS + "WHERE seq > ? ORDER BY seq LIMIT ?", afterSeq, limit);
  }

  /** Records of one session, oldest first. */
  public List<AuditRecord> forSession(String session, int limit) throws AuditException {
    return query(COLUMNS + "WHERE session = ? ORDER BY seq LIMIT ?", session, limit);
  }

  private List<AuditRecord> query(String sql, Object... params) throws AuditException {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return collect(ps);
    } catch (SQLException | RuntimeException e) {
      throw new AuditException("cannot read the audit log in " + db.file() + ": " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }

  private static List<AuditRecord> collect(PreparedStatement ps) throws SQLException {
    List<AuditRecord> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(read(rs, 1));
      }
    }
    return out;
  }

  /**
   * Reads one row. A row whose time or body no longer parses (it was edited) is returned with a
   * marker body, so that verification fails at that record instead of aborting the whole read.
   */
  private static AuditRecord read(ResultSet rs, int i) throws SQLException {
    long seq = rs.getLong(i);
    Instant time;
    java.util.Map<String, Object> body;
    try {
      time = Instant.parse(rs.getString(i + 1));
      body = Json.map(rs.getString(i + 5));
    } catch (RuntimeException e) {
      time = Instant.EPOCH;
      body = java.util.Map.of("unreadable", String.valueOf(e.getMessage()));
    }
    return new AuditRecord(Math.max(1, seq), time, String.valueOf(rs.getString(i + 2)), rs.getString(i + 3),
        String.valueOf(rs.getString(i + 4)), body, String.valueOf(rs.getString(i + 6)), String.valueOf(rs.getString(i + 7)));
  }

  @Override
  public void close() throws AuditException {
    if (ownsDb) {
      try {
        db.close();
      } catch (SQLException e) {
        throw new AuditException("cannot close " + db.file(), e);
      }
    }
  }
}
