package dev.warden.store;

import dev.warden.kernel.Label;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Sessions and their messages; every message keeps the label it entered the context with. */
public final class SessionStore {

  public record StoredSession(String id, String principal, String channel, String title, Label label, Instant created,
      Instant updated) {}

  /** {@code toolCallsJson} is the provider-neutral JSON list of tool calls an assistant message made. */
  public record StoredMessage(long id, String session, String role, String content, String toolCallsJsonOrNull,
      String toolCallIdOrNull, Label label, Instant time) {}

  private final StateDb db;

  public SessionStore(StateDb db) {
    this.db = db;
  }

  public void upsertSession(String id, String principal, String channel, String title, Label label, Instant now) {
    exec("INSERT INTO sessions(id, principal, channel, title, label, created, updated) VALUES (?,?,?,?,?,?,?) "
            + "ON CONFLICT(id) DO UPDATE SET label=excluded.label, updated=excluded.updated",
        id, principal, channel, title, Labels.toJson(label), now.toString(), now.toString());
  }

  public Optional<StoredSession> session(String id) {
    List<StoredSession> l = sessions("SELECT id, principal, channel, title, label, created, updated FROM sessions WHERE id = ?", id);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.getFirst());
  }

  public List<StoredSession> recentSessions(int limit) {
    return sessions("SELECT id, principal, channel, title, label, created, updated FROM sessions ORDER BY updated DESC LIMIT "
        + Math.max(1, limit));
  }

  public long appendMessage(String session, String role, String content, String toolCallsJsonOrNull, String toolCallIdOrNull,
      Label label, Instant now) {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement(
        "INSERT INTO messages(session, role, content, tool_calls, tool_call_id, label, time) VALUES (?,?,?,?,?,?,?)",
        PreparedStatement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, session);
      ps.setString(2, role);
      ps.setString(3, content);
      ps.setString(4, toolCallsJsonOrNull);
      ps.setString(5, toolCallIdOrNull);
      ps.setString(6, Labels.toJson(label));
      ps.setString(7, now.toString());
      ps.executeUpdate();
      try (ResultSet rs = ps.getGeneratedKeys()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot store a message of session " + session + ": " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }

  public List<StoredMessage> messages(String session) {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement(
        "SELECT id, session, role, content, tool_calls, tool_call_id, label, time FROM messages WHERE session = ? ORDER BY id")) {
      ps.setString(1, session);
      List<StoredMessage> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new StoredMessage(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), Labels.fromJson(rs.getString(7)), Instant.parse(rs.getString(8))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot read messages of session " + session + ": " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }

  private List<StoredSession> sessions(String sql, String... args) {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      List<StoredSession> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new StoredSession(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              Labels.fromJson(rs.getString(5)), Instant.parse(rs.getString(6)), Instant.parse(rs.getString(7))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot read sessions: " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }

  private void exec(String sql, String... args) {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot write sessions: " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }
}
