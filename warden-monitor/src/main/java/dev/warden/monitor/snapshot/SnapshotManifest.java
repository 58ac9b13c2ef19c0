package dev.warden.monitor.snapshot;

import dev.warden.kernel.CanonicalJson;
import dev.warden.monitor.snapshot.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one snapshot holds. Serialised as canonical JSON ({@link #toBytes()}); the agent key signs
 * exactly those bytes, so any edit to the manifest (a path, a hash, the reason) breaks the signature.
 *
 * @param id the snapshot's id
 * @param time when it was taken
 * @param reason why (operator text, {@code scheduled}, {@code forensic: …}, {@code pre-restore: …})
 * @param keyId the id of the agent key that signed it
 * @param auditSeq the last audit record's seq when it was taken: diffs look for the actions that
 *     explain a change among the records after it
 * @param entries sorted by path, unique
 */
public record SnapshotManifest(SnapshotId id, Instant time, String reason, String keyId, long auditSeq,
    List<SnapshotEntry> entries) {

  /** The manifest format tag; a reader refuses other formats rather than guessing. */
  public static final String FORMAT = "warden-snapshot/1";
  /** Reasons with this prefix are never pruned by retention (quarantine's forensic snapshots). */
  public static final String FORENSIC_PREFIX = "forensic";

  public SnapshotManifest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(keyId, "keyId");
    if (auditSeq < 0) {
      throw new IllegalArgumentException("auditSeq must be >= 0");
    }
    List<SnapshotEntry> sorted = new ArrayList<>(entries);
    sorted.sort((a, b) -> a.path().compareTo(b.path()));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).path().equals(sorted.get(i - 1).path())) {
        throw new IllegalArgumentException("snapshot " + id + " lists " + sorted.get(i).path() + " twice");
      }
    }
    entries = List.copyOf(sorted);
  }

  public Optional<SnapshotEntry> entry(String path) {
    return entries.stream().filter(e -> e.path().equals(path)).findFirst();
  }

  public boolean forensic() {
    return reason.startsWith(FORENSIC_PREFIX);
  }

  /** The canonical JSON that is signed and stored. */
  public byte[] toBytes() {
    return CanonicalJson.write(toMap()).getBytes(StandardCharsets.UTF_8);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("id", id.value());
    m.put("time", time.toString());
    m.put("reason", reason);
    m.put("key_id", keyId);
    m.put("audit_seq", auditSeq);
    List<Object> list = new ArrayList<>();
    for (SnapshotEntry e : entries) {
      Map<String, Object> em = new LinkedHashMap<>();
      em.put("path", e.path());
      em.put("sha256", e.sha256());
      em.put("size", e.size());
      em.put("mode", e.mode());
      list.add(em);
    }
    m.put("entries", list);
    return m;
  }

  /** Parses stored bytes; checks the format and every field (not the signature). */
  @SuppressWarnings("unchecked")
  public static SnapshotManifest parse(byte[] bytes) throws SnapshotException {
    try {
      Map<String, Object> m = Json.map(new String(bytes, StandardCharsets.UTF_8));
      if (!FORMAT.equals(m.get("format"))) {
        throw new SnapshotException("snapshot manifest has format '" + m.get("format") + "', this Warden reads "
            + FORMAT);
      }
      List<SnapshotEntry> entries = new ArrayList<>();
      for (Object o : (List<Object>) m.get("entries")) {
        Map<String, Object> em = (Map<String, Object>) o;
        entries.add(new SnapshotEntry((String) em.get("path"), (String) em.get("sha256"),
            ((Number) em.get("size")).longValue(), (String) em.get("mode")));
      }
      return new SnapshotManifest(SnapshotId.of((String) m.get("id")), Instant.parse((String) m.get("time")),
          (String) m.get("reason"), (String) m.get("key_id"), ((Number) m.get("audit_seq")).longValue(), entries);
    } catch (IOException | RuntimeException e) {
      throw new SnapshotException("snapshot manifest is malformed (" + e.getMessage()
          + "); it was damaged or edited — restore from another snapshot", e);
    }
  }
}
