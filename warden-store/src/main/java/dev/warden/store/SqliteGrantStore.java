package dev.warden.store;

import dev.warden.kernel.Action;
import dev.warden.kernel.Grant;
import dev.warden.kernel.GrantStore;
import dev.warden.kernel.SessionContext;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Standing grants in {@code state.db}; timed grants outlive a restart, session grants die with the session. */
public final class SqliteGrantStore implements GrantStore {
  private final StateDb db;

  public SqliteGrantStore(StateDb db) {
    this.db = db;
  }

  @Override
  public void add(Grant g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", g.id());
    m.put("kind", g.actionKind());
    m.put("resource", g.resource());
    m.put("session", g.sessionOrNull());
    m.put("expires", g.expiresOrNull() == null ? null : g.expiresOrNull().toString());
    m.put("approval", g.approvalId());
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement("INSERT INTO grants(id, json) VALUES (?,?)")) {
      ps.setString(1, g.id());
      ps.setString(2, Json.write(m));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot save grant: " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }

  @Override
  public Optional<Grant> match(Action action, SessionContext session, Instant now) {
    return all().stream().filter(g -> g.matches(action, session, now)).findFirst();
  }

  @Override
  public List<Grant> all() {
    db.lock().lock();
    try (Statement st = db.connection().createStatement(); ResultSet rs = st.executeQuery("SELECT json FROM grants")) {
      List<Grant> out = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> m = Json.map(rs.getString(1));
        out.add(new Grant((String) m.get("id"), (String) m.get("kind"), (String) m.get("resource"), (String) m.get("session"),
            m.get("expires") == null ? null : Instant.parse((String) m.get("expires")), (String) m.get("approval")));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot read grants: " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }

  @Override
  public void clear() {
    db.lock().lock();
    try (Statement st = db.connection().createStatement()) {
      st.executeUpdate("DELETE FROM grants");
    } catch (SQLException e) {
      throw new StoreException("cannot clear grants: " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }
}
