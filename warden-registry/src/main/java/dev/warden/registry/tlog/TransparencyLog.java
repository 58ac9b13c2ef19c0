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
 * can still do so, which is exactly what clients' consistency checks catch. Leaf hashes are
 * recomputed from the entries for each proof: O(n) per request, adequate for thousands of
 * entries; a large registry would store subtree hashes (tiles) instead.
 *
 * <p>Concurrency: every method locks the shared connection.
 */
public final class TransparencyLog {
  /** Most entries returned by one {@link #entries} call. */
  public static final int MAX_ENTRIES_PER_PAGE = 1_000;

  private final Connection db;
  private final PublisherKeyPair logKey;
  private final InstantSource clock;

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

  public long size() throws SQLException {
    synchronized (db) {
      try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM log_entries")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A freshly signed head for the current tree. */
  public SignedTreeHead head() throws SQLException {
    synchronized (db) {
      List<byte[]> leaves = leafHashes(Long.MAX_VALUE);
      return SignedTreeHead.sign(leaves.size(), MerkleTree.root(leaves, leaves.size()), clock.instant(), logKey);
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
      List<byte[]> leaves = leafHashes(treeSize);
      if (treeSize > leaves.size() || index < 0 || index >= treeSize) {
        throw new IllegalArgumentException("no leaf " + index + " in a tree of size " + treeSize + " (log has " + leaves.size() + " entries)");
      }
      return MerkleTree.inclusionProof(leaves, (int) index, (int) treeSize);
    }
  }

  public List<byte[]> consistencyProof(long from, long to) throws SQLException {
    synchronized (db) {
      List<byte[]> leaves = leafHashes(to);
      if (from < 0 || from > to || to > leaves.size()) {
        throw new IllegalArgumentException("consistency needs 0 <= from <= to <= " + leaves.size() + ", got " + from + ".." + to);
      }
      return MerkleTree.consistencyProof(leaves, (int) from, (int) to);
    }
  }

  private List<byte[]> leafHashes(long limit) throws SQLException {
    List<byte[]> out = new ArrayList<>();
    try (PreparedStatement ps = db.prepareStatement("SELECT entry FROM log_entries ORDER BY idx LIMIT ?")) {
      ps.setLong(1, Math.min(limit, Integer.MAX_VALUE));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(MerkleTree.leafHash(rs.getBytes(1)));
        }
      }
    }
    return out;
  }
}
