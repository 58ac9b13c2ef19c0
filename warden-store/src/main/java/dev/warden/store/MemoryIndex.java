package dev.warden.store;

import dev.warden.kernel.Label;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The full-text index over memory entries (the Markdown files are the source of truth, as in
 * OpenClaw; this index adds search, labels and provenance). Entries written from a tainted context
 * are {@link Status#REVIEW}: never loaded into the system prompt, marked untrusted when recalled,
 * and listed for the owner to promote or delete.
 */
public final class MemoryIndex {

  public enum Status {
    /** Written from a trusted context, or promoted by the owner. */
    ACTIVE,
    /** Written from a tainted context: kept apart until the owner reviews it. */
    REVIEW,
    /** Deleted by the owner (kept for the audit trail, never recalled). */
    DELETED
  }

  public record Entry(String id, String file, String text, Label label, String sessionOrNull, Status status, Instant created) {}

  /** Most entries returned by one search. */
  public static final int MAX_SEARCH_RESULTS = 20;

  private final StateDb db;

  public MemoryIndex(StateDb db) {
    this.db = db;
  }

  public void add(Entry e) {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement(
        "INSERT INTO memory(id, file, text, integrity, label, sources, session, status, created) VALUES (?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, e.id());
      ps.setString(2, e.file());
      ps.setString(3, e.text());
      ps.setString(4, e.label().integrity().name());
      ps.setString(5, Labels.toJson(e.label()));
      ps.setString(6, String.join(",", e.label().sources()));
      ps.setString(7, e.sessionOrNull());
      ps.setString(8, e.status().name());
      ps.setString(9, e.created().toString());
      ps.executeUpdate();
      try (PreparedStatement fts = db.connection().prepareStatement(
          "INSERT INTO memory_fts(rowid, text) SELECT rowid, text FROM memory WHERE id = ?")) {
        fts.setString(1, e.id());
        fts.executeUpdate();
      }
    } catch (SQLException ex) {
      throw new StoreException("cannot index memory entry: " + ex.getMessage(), ex);
    } finally {
      db.lock().unlock();
    }
  }

  /** Full-text search over entries that are not deleted; terms are quoted so the query cannot inject FTS syntax. */
  public List<Entry> search(String query, int limit) {
    String fts = toFtsQuery(query);
    if (fts.isEmpty()) {
      return list(null, limit);
    }
    return select("SELECT m.id, m.file, m.text, m.label, m.session, m.status, m.created FROM memory_fts f "
        + "JOIN memory m ON m.rowid = f.rowid WHERE memory_fts MATCH ? AND m.status != 'DELETED' ORDER BY rank LIMIT "
        + Math.min(limit, MAX_SEARCH_RESULTS), fts);
  }

  public List<Entry> list(Status statusOrNull, int limit) {
    return statusOrNull == null
        ? select("SELECT id, file, text, label, session, status, created FROM memory WHERE status != 'DELETED' ORDER BY created DESC LIMIT " + limit)
        : select("SELECT id, file, text, label, session, status, created FROM memory WHERE status = ? ORDER BY created DESC LIMIT " + limit,
            statusOrNull.name());
  }

  public Optional<Entry> get(String id) {
    List<Entry> l = select("SELECT id, file, text, label, session, status, created FROM memory WHERE id = ?", id);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.getFirst());
  }

  public void setStatus(String id, Status status) {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement("UPDATE memory SET status = ? WHERE id = ?")) {
      ps.setString(1, status.name());
      ps.setString(2, id);
      if (ps.executeUpdate() == 0) {
        throw new StoreException("no memory entry " + id, null);
      }
    } catch (SQLException ex) {
      throw new StoreException("cannot update memory entry " + id + ": " + ex.getMessage(), ex);
    } finally {
      db.lock().unlock();
    }
  }

  static String toFtsQuery(String q) {
    List<String> terms = new ArrayList<>();
    for (String t : q.split("[^\\p{L}\\p{N}_]+")) {
      if (!t.isBlank()) {
        terms.add("\"" + t + "\"");
      }
    }
    return String.join(" OR ", terms);
  }

  private List<Entry> select(String sql, String... args) {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      List<Entry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), Labels.fromJson(rs.getString(4)),
              rs.getString(5), Status.valueOf(rs.getString(6)), Instant.parse(rs.getString(7))));
        }
      }
      return out;
    } catch (SQLException ex) {
      throw new StoreException("cannot read memory: " + ex.getMessage(), ex);
    } finally {
      db.lock().unlock();
    }
  }
}
