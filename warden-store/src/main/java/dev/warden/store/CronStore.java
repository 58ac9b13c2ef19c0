package dev.warden.store;

import dev.warden.kernel.Label;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Scheduled jobs. A job keeps the label of the context that created it and runs as its own principal. */
public final class CronStore {

  public record Job(String name, String schedule, String prompt, Label label, String principal, Instant created,
      boolean enabled, Instant lastRunOrNull, Instant nextRunOrNull) {}

  private final StateDb db;

  public CronStore(StateDb db) {
    this.db = db;
  }

  public void put(Job j) {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement(
        "INSERT INTO cron(name, schedule, prompt, label, principal, created, enabled, last_run, next_run) VALUES (?,?,?,?,?,?,?,?,?) "
            + "ON CONFLICT(name) DO UPDATE SET schedule=excluded.schedule, prompt=excluded.prompt, label=excluded.label, "
            + "enabled=excluded.enabled, last_run=excluded.last_run, next_run=excluded.next_run")) {
      ps.setString(1, j.name());
      ps.setString(2, j.schedule());
      ps.setString(3, j.prompt());
      ps.setString(4, Labels.toJson(j.label()));
      ps.setString(5, j.principal());
      ps.setString(6, j.created().toString());
      ps.setInt(7, j.enabled() ? 1 : 0);
      ps.setString(8, j.lastRunOrNull() == null ? null : j.lastRunOrNull().toString());
      ps.setString(9, j.nextRunOrNull() == null ? null : j.nextRunOrNull().toString());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot save cron job " + j.name() + ": " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }

  public boolean delete(String name) {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement("DELETE FROM cron WHERE name = ?")) {
      ps.setString(1, name);
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw new StoreException("cannot delete cron job " + name + ": " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }

  public Optional<Job> get(String name) {
    return all().stream().filter(j -> j.name().equals(name)).findFirst();
  }

  public List<Job> all() {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement(
        "SELECT name, schedule, prompt, label, principal, created, enabled, last_run, next_run FROM cron ORDER BY name");
        ResultSet rs = ps.executeQuery()) {
      List<Job> out = new ArrayList<>();
      while (rs.next()) {
        out.add(new Job(rs.getString(1), rs.getString(2), rs.getString(3), Labels.fromJson(rs.getString(4)), rs.getString(5),
            Instant.parse(rs.getString(6)), rs.getInt(7) == 1, rs.getString(8) == null ? null : Instant.parse(rs.getString(8)),
            rs.getString(9) == null ? null : Instant.parse(rs.getString(9))));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot read cron jobs: " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }
}
