package dev.warden.store;

import dev.warden.kernel.ApprovalRequest;
import dev.warden.kernel.ApprovalStore;
import dev.warden.kernel.GrantScope;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Approval requests in {@code state.db}, shared by the gateway, the CLI and the web chat. */
public final class SqliteApprovalStore implements ApprovalStore {
  private final StateDb db;

  public SqliteApprovalStore(StateDb db) {
    this.db = db;
  }

  @Override
  public void save(ApprovalRequest r) {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement(
        "INSERT INTO approvals(id, status, created, json) VALUES (?,?,?,?) "
            + "ON CONFLICT(id) DO UPDATE SET status=excluded.status, json=excluded.json")) {
      ps.setString(1, r.id());
      ps.setString(2, r.status().name());
      ps.setString(3, r.created().toString());
      ps.setString(4, Json.write(toMap(r)));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot save approval " + r.id() + ": " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }

  @Override
  public Optional<ApprovalRequest> get(String id) {
    List<ApprovalRequest> l = select("SELECT json FROM approvals WHERE id = ?", id);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.getFirst());
  }

  @Override
  public List<ApprovalRequest> pending() {
    return select("SELECT json FROM approvals WHERE status = ? ORDER BY created", "PENDING");
  }

  @Override
  public List<ApprovalRequest> recent(int limit) {
    return select("SELECT json FROM approvals ORDER BY created DESC LIMIT " + Math.max(1, limit));
  }

  private List<ApprovalRequest> select(String sql, String... args) {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      List<ApprovalRequest> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(fromMap(Json.map(rs.getString(1))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot read approvals: " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }

  static Map<String, Object> toMap(ApprovalRequest r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("session", r.sessionId());
    m.put("principal", r.principal());
    m.put("action", r.actionKind());
    m.put("resource", r.resource());
    m.put("description", r.description());
    m.put("reason", r.reason());
    m.put("rule", r.rule());
    m.put("sources", new ArrayList<>(r.sources()));
    m.put("fields", r.actionFields());
    m.put("diff", r.diffOrNull());
    m.put("scopes", r.scopes().stream().map(s -> s.name()).toList());
    m.put("created", r.created().toString());
    m.put("expires", r.expires().toString());
    m.put("status", r.status().name());
    m.put("answered_by", r.answeredByOrNull());
    m.put("answered", r.answeredOrNull() == null ? null : r.answeredOrNull().toString());
    m.put("group", r.groupKey());
    return m;
  }

  @SuppressWarnings("unchecked")
  static ApprovalRequest fromMap(Map<String, Object> m) {
    return new ApprovalRequest((String) m.get("id"), (String) m.get("session"), (String) m.get("principal"),
        (String) m.get("action"), (String) m.get("resource"), (String) m.get("description"), (String) m.get("reason"),
        (String) m.get("rule"), new TreeSet<>((List<String>) m.get("sources")), (Map<String, Object>) m.get("fields"),
        (String) m.get("diff"), ((List<String>) m.get("scopes")).stream().map(GrantScope::valueOf).toList(),
        Instant.parse((String) m.get("created")), Instant.parse((String) m.get("expires")),
        ApprovalRequest.Status.valueOf((String) m.get("status")), (String) m.get("answered_by"),
        m.get("answered") == null ? null : Instant.parse((String) m.get("answered")), (String) m.get("group"));
  }
}
