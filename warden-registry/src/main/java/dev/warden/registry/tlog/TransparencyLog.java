package dev.warden.registry.tlog;

import dev.warden.registry.pkg.PublisherKey;
import dev.warden.registry.pkg.PublisherKeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The registry's append-only log of published versions, kept in a SQLite table next to the
 * registry's own tables (so that a version and its log entry are committed in one transaction).
 *
 * <p>Storage: table {@code log_entries(idx, entry)} holds each entry's canonical bytes; triggers
 * refuse UPDATE and DELETE, so a bug cannot rewrite history. Someone with write access to the file
 * can still do so, which is exactly what clients' consistency checks catch. Leaf hashes and
 * complete subtree hashes are kept in memory ({@link MerkleTreeCache}) and extended with the rows
 * appended since the last request, so a head or a proof costs O(log n) hashes; rows already read
 * are never re-read, so a rewrite of the file under a running server only shows after a restart
 * (and then to clients as a fork). A log that shrinks under a running server is refused.
 *
 * <p>Concurrency: every method locks the shared connection; a publish holds that lock from its
 * append to its commit or rollback, so the cache never sees an entry that is rolled back.
 */
public final class TransparencyLog {
  /** Most entries returned by one {@link #entries} call. */
  public static final int MAX_ENTRIES_PER_PAGE = 1_000;

  private final Connection db;
  private final PublisherKeyPair logKey;
  private final InstantSource clock;
  private final MerkleTreeCache cache = new MerkleTreeCache();

  public TransparencyLog(Connection db, PublisherKeyPair logKey, InstantSource clock) throws SQLException {
    this.db = Objects.requireNonNull(db);
    this.logKey = Objects.requireNonNull(logKey);
    this.clock = Objects.requireNonNull(clock);
    synchronized (db) {
      try (Statement s = db.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS log_entries (idx INTEGER PRIMARY KEY, entry BLOB NOT NULL)");
        s.execute("CREATE TRIGGER IF NOT EXISTS log_entries_no_update BEFORE UPDATE ON log_entries "
            + "BEGIN SELECT RAISE(ABORT, 'the transparency log is append-only'); END");
        s.execute("CREATE TRIGGER IF NOT EXISTS log_entries_no_delete BEFORE DELETE ON log_entries "
            + "BEGIN SELECT RAISE(ABORT, 'the transparency log is append-only'); END");
      }
    }
  }

  public PublisherKey logPublicKey() {
    return logKey.publicKey();
  }

  /** Appends and returns the entry's index. Runs inside the caller's transaction if there is one. */
  public long append(LogEntry entry) throws SQLException {
    synchronized (db) {
      long index = size();
      try (PreparedStatement ps = db.prepareStatement("INSERT INTO log_entries(idx, entry) VALUES (?, ?)")) {
        ps.setLong(1, index);
        ps.setBytes(2, entry.canonicalBytes());
        ps.executeUpdate();
      }
      return index;
    }
  }

  /** Entries in the log: the next index. {@code MAX} on the rowid is O(log n), unlike {@code COUNT}. */
  public long size() throws SQLException {
    synchronized (db) {
      try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entries")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A freshly signed head for the current tree. */
  public SignedTreeHead head() throws SQLException {
    synchronized (db) {
      sync();
      return SignedTreeHead.sign(cache.size(), cache.root(cache.size()), clock.instant(), logKey);
    }
  }

  public LogEntry entry(long index) throws SQLException, LogException {
    synchronized (db) {
      try (PreparedStatement ps = db.prepareStatement("SELECT entry FROM log_entries WHERE idx = ?")) {
        ps.setLong(1, index);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new IllegalArgumentException("no log entry " + index);
          }
          return LogEntry.parse(rs.getBytes(1));
        }
      }
    }
  }

  /** Entries {@code [start, end)} as canonical bytes, at most {@link #MAX_ENTRIES_PER_PAGE}. */
  public List<byte[]> entries(long start, long end) throws SQLException {
    if (start < 0 || end < start || end - start > MAX_ENTRIES_PER_PAGE) {
      throw new IllegalArgumentException("entries need 0 <= start <= end and at most " + MAX_ENTRIES_PER_PAGE + " at a time");
    }
    synchronized (db) {
      List<byte[]> out = new ArrayList<>();
      try (PreparedStatement ps = db.prepareStatement("SELECT entry FROM log_entries WHERE idx >= ? AND idx < ? ORDER BY idx")) {
        ps.setLong(1, start);
        ps.setLong(2, end);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getBytes(1));
          }
        }
      }
      return out;
    }
  }

  public List<byte[]> inclusionProof(long index, long treeSize) throws SQLException {
    synchronized (db) {
      sync();
      if (treeSize > cache.size() || index < 0 || index >= treeSize) {
        throw new IllegalArgumentException("no leaf " + index + " in a tree of size " + treeSize + " (log has " + cache.size() + " entries)");
      }
      return cache.inclusionProof((int) index, (int) treeSize);
    }
  }

  public List<byte[]> consistencyProof(long from, long to) throws SQLException {
    synchronized (db) {
      sync();
      if (from < 0 || from > to || to > cache.size()) {
        throw new IllegalArgumentException("consistency needs 0 <= from <= to <= " + cache.size() + ", got " + from + ".." + to);
      }
      return cache.consistencyProof((int) from, (int) to);
    }
  }

  /** Extends the cache with rows appended since the last call. */
  private void sync() throws SQLException {
    long rows = size();
    if (rows < cache.size()) {
      throw new IllegalStateException("the transparency log table has " + rows + " entries but " + cache.size()
          + " were already served; entries were deleted from an append-only log. Restore registry.db from a backup.");
    }
    if (rows == cache.size()) {
      return;
    }
    try (PreparedStatement ps = db.prepareStatement("SELECT idx, entry FROM log_entries WHERE idx >= ? ORDER BY idx")) {
      ps.setLong(1, cache.size());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getLong(1) != cache.size()) {
            throw new IllegalStateException("the transparency log table has a gap at index " + cache.size());
          }
          cache.add(MerkleTree.leafHash(rs.getBytes(2)));
        }
      }
    }
  }
}
