package dev.warden.store;

import dev.warden.kernel.Label;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The label each workspace file was last written with. A file the agent wrote from a tainted
 * context stays tainted when it is read back, in this session or any later one.
 */
public final class FileLabels {
  private final StateDb db;

  public FileLabels(StateDb db) {
    this.db = db;
  }

  public void put(String path, Label label, String sessionOrNull, Instant now) {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement(
        "INSERT INTO file_labels(path, label, session, time) VALUES (?,?,?,?) "
            + "ON CONFLICT(path) DO UPDATE SET label=excluded.label, session=excluded.session, time=excluded.time")) {
      ps.setString(1, path);
      ps.setString(2, Labels.toJson(label));
      ps.setString(3, sessionOrNull);
      ps.setString(4, now.toString());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot record the label of " + path + ": " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }

  public Optional<Label> get(String path) {
    db.lock().lock();
    try (PreparedStatement ps = db.connection().prepareStatement("SELECT label FROM file_labels WHERE path = ?")) {
      ps.setString(1, path);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(Labels.fromJson(rs.getString(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the label of " + path + ": " + e.getMessage(), e);
    } finally {
      db.lock().unlock();
    }
  }
}
