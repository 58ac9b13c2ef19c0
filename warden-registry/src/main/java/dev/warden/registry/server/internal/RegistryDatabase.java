package dev.warden.registry.server.internal;

import dev.warden.registry.pkg.PackageManifest;
import dev.warden.registry.pkg.PublisherKeyPair;
import dev.warden.registry.tlog.LogEntry;
import dev.warden.registry.tlog.TransparencyLog;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The registry's SQLite database ({@code registry.db}, WAL mode, synchronous FULL): skills,
 * versions (with their package bytes), reports, and the transparency log's table. One connection,
 * every method locked on it, so a publish (version row + log entry) is one transaction.
 */
public final class RegistryDatabase implements AutoCloseable {
  /** How long a writer waits for the database lock, in milliseconds. */
  public static final int BUSY_TIMEOUT_MILLIS = 5_000;

  public record SkillRow(String slug, String owner, String description, Instant firstSeen, long downloads, long installs) {}

  public record VersionRow(String slug, String version, String manifestSha256, String publisher, String publisherKeyId,
      Instant publishedAt, long logIndex, boolean yanked, String yankReasonOrNull) {}

  public record PackageRow(VersionRow version, byte[] manifest, byte[] signature, byte[] archive) {}

  public record ReportRow(String slug, String versionOrNull, String account, String reason, Instant at) {}

  /** Outcome of a publish. */
  public enum PublishOutcome { CREATED, ALREADY_PUBLISHED }

  private final Connection db;
  private final TransparencyLog log;
  private final InstantSource clock;

  public RegistryDatabase(Path file, PublisherKeyPair logKey, InstantSource clock) throws SQLException {
    this.db = DriverManager.getConnection("jdbc:sqlite:" + file);
    this.clock = clock;
    try (Statement s = db.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=FULL");
      s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MILLIS);
      s.execute("CREATE TABLE IF NOT EXISTS skills (slug TEXT PRIMARY KEY, owner TEXT NOT NULL, description TEXT NOT NULL,"
          + " first_seen INTEGER NOT NULL, downloads INTEGER NOT NULL DEFAULT 0, installs INTEGER NOT NULL DEFAULT 0)");
      s.execute("CREATE TABLE IF NOT EXISTS versions (slug TEXT NOT NULL REFERENCES skills(slug), version TEXT NOT NULL,"
          + " manifest BLOB NOT NULL, signature BLOB NOT NULL, archive BLOB NOT NULL, manifest_sha256 TEXT NOT NULL,"
          + " publisher TEXT NOT NULL, key_id TEXT NOT NULL, published_at INTEGER NOT NULL, log_index INTEGER NOT NULL,"
          + " yanked INTEGER NOT NULL DEFAULT 0, yank_reason TEXT, PRIMARY KEY (slug, version))");
      s.execute("CREATE TABLE IF NOT EXISTS reports (id INTEGER PRIMARY KEY, slug TEXT NOT NULL, version TEXT,"
          + " account TEXT NOT NULL, reason TEXT NOT NULL, created_at INTEGER NOT NULL)");
    }
    this.log = new TransparencyLog(db, logKey, clock);
  }

  public TransparencyLog log() {
    return log;
  }

  public String journalMode() throws SQLException {
    synchronized (db) {
      try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /**
   * Stores a verified package and appends its log entry, in one transaction. A version that exists
   * with the same manifest is {@link PublishOutcome#ALREADY_PUBLISHED}; with another manifest it is
   * refused by {@link VersionConflict}.
   */
  public PublishOutcome publish(String account, PackageManifest m, byte[] manifest, byte[] signature, byte[] archive)
      throws SQLException, VersionConflict, NotOwner {
    synchronized (db) {
      Optional<SkillRow> skill = skill(m.name());
      if (skill.isPresent() && !skill.get().owner().equals(account)) {
        throw new NotOwner("skill '" + m.name() + "' belongs to account '" + skill.get().owner() + "', not '" + account + "'");
      }
      Optional<PackageRow> existing = packageRow(m.name(), m.version());
      if (existing.isPresent()) {
        if (Arrays.equals(existing.get().manifest(), manifest)) {
          return PublishOutcome.ALREADY_PUBLISHED;
        }
        throw new VersionConflict(m.name() + "@" + m.version() + " is already published with manifest SHA-256 "
            + existing.get().version().manifestSha256() + "; a version cannot be republished with different content, publish a new version");
      }
      Instant now = Instant.ofEpochMilli(clock.instant().toEpochMilli());
      boolean auto = db.getAutoCommit();
      db.setAutoCommit(false);
      try {
        if (skill.isEmpty()) {
          try (PreparedStatement ps = db.prepareStatement("INSERT INTO skills(slug, owner, description, first_seen) VALUES (?,?,?,?)")) {
            ps.setString(1, m.name());
            ps.setString(2, account);
            ps.setString(3, m.description());
            ps.setLong(4, now.toEpochMilli());
            ps.executeUpdate();
          }
        } else {
          try (PreparedStatement ps = db.prepareStatement("UPDATE skills SET description = ? WHERE slug = ?")) {
            ps.setString(1, m.description());
            ps.setString(2, m.name());
            ps.executeUpdate();
          }
        }
        long index = log.append(LogEntry.of(m, now));
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO versions(slug, version, manifest, signature, archive,"
            + " manifest_sha256, publisher, key_id, published_at, log_index) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
          ps.setString(1, m.name());
          ps.setString(2, m.version());
          ps.setBytes(3, manifest);
          ps.setBytes(4, signature);
          ps.setBytes(5, archive);
          ps.setString(6, m.sha256());
          ps.setString(7, m.publisher());
          ps.setString(8, m.publisherKeyId());
          ps.setLong(9, now.toEpochMilli());
          ps.setLong(10, index);
          ps.executeUpdate();
        }
        db.commit();
        return PublishOutcome.CREATED;
      } catch (SQLException | RuntimeException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(auto);
      }
    }
  }

  public Optional<SkillRow> skill(String slug) throws SQLException {
    synchronized (db) {
      try (PreparedStatement ps = db.prepareStatement("SELECT slug, owner, description, first_seen, downloads, installs FROM skills WHERE slug = ?")) {
        ps.setString(1, slug);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(skillRow(rs)) : Optional.empty();
        }
      }
    }
  }

  /** Skills whose slug or description contains {@code query} (case-insensitive), newest first. */
  public List<SkillRow> search(String query, int limit) throws SQLException {
    synchronized (db) {
      String like = "%" + query.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
      try (PreparedStatement ps = db.prepareStatement("SELECT slug, owner, description, first_seen, downloads, installs FROM skills"
          + " WHERE lower(slug) LIKE ? ESCAPE '\\' OR lower(description) LIKE ? ESCAPE '\\' ORDER BY first_seen DESC, slug LIMIT ?")) {
        ps.setString(1, like);
        ps.setString(2, like);
        ps.setInt(3, limit);
        List<SkillRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(skillRow(rs));
          }
        }
        return out;
      }
    }
  }

  /** Versions in publication order. */
  public List<VersionRow> versions(String slug) throws SQLException {
    synchronized (db) {
      try (PreparedStatement ps = db.prepareStatement("SELECT slug, version, manifest_sha256, publisher, key_id, published_at,"
          + " log_index, yanked, yank_reason FROM versions WHERE slug = ? ORDER BY log_index")) {
        ps.setString(1, slug);
        List<VersionRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(versionRow(rs));
          }
        }
        return out;
      }
    }
  }

  public Optional<PackageRow> packageRow(String slug, String version) throws SQLException {
    synchronized (db) {
      try (PreparedStatement ps = db.prepareStatement("SELECT slug, version, manifest_sha256, publisher, key_id, published_at,"
          + " log_index, yanked, yank_reason, manifest, signature, archive FROM versions WHERE slug = ? AND version = ?")) {
        ps.setString(1, slug);
        ps.setString(2, version);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new PackageRow(versionRow(rs), rs.getBytes(10), rs.getBytes(11), rs.getBytes(12)));
        }
      }
    }
  }

  public void countDownload(String slug, boolean install) throws SQLException {
    synchronized (db) {
      try (PreparedStatement ps = db.prepareStatement("UPDATE skills SET downloads = downloads + 1, installs = installs + ? WHERE slug = ?")) {
        ps.setInt(1, install ? 1 : 0);
        ps.setString(2, slug);
        ps.executeUpdate();
      }
    }
  }

  /** Marks a version yanked; returns false when there is no such version. */
  public boolean yank(String slug, String version, String reason) throws SQLException {
    synchronized (db) {
      try (PreparedStatement ps = db.prepareStatement("UPDATE versions SET yanked = 1, yank_reason = ? WHERE slug = ? AND version = ?")) {
        ps.setString(1, reason);
        ps.setString(2, slug);
        ps.setString(3, version);
        return ps.executeUpdate() == 1;
      }
    }
  }

  public void report(String slug, String versionOrNull, String account, String reason) throws SQLException {
    synchronized (db) {
      try (PreparedStatement ps = db.prepareStatement("INSERT INTO reports(slug, version, account, reason, created_at) VALUES (?,?,?,?,?)")) {
        ps.setString(1, slug);
        ps.setString(2, versionOrNull);
        ps.setString(3, account);
        ps.setString(4, reason);
        ps.setLong(5, clock.instant().toEpochMilli());
        ps.executeUpdate();
      }
    }
  }

  public List<ReportRow> reports(String slug) throws SQLException {
    synchronized (db) {
      try (PreparedStatement ps = db.prepareStatement("SELECT slug, version, account, reason, created_at FROM reports WHERE slug = ? ORDER BY id")) {
        ps.setString(1, slug);
        List<ReportRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new ReportRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Instant.ofEpochMilli(rs.getLong(5))));
          }
        }
        return out;
      }
    }
  }

  private static SkillRow skillRow(ResultSet rs) throws SQLException {
    return new SkillRow(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)), rs.getLong(5), rs.getLong(6));
  }

  private static VersionRow versionRow(ResultSet rs) throws SQLException {
    return new VersionRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        Instant.ofEpochMilli(rs.getLong(6)), rs.getLong(7), rs.getInt(8) != 0, rs.getString(9));
  }

  @Override
  public void close() throws SQLException {
    synchronized (db) {
      db.close();
    }
  }

  /** The version exists with other content. */
  public static final class VersionConflict extends Exception {
    VersionConflict(String message) {
      super(message);
    }
  }

  /** The skill belongs to another account. */
  public static final class NotOwner extends Exception {
    NotOwner(String message) {
      super(message);
    }
  }
}
