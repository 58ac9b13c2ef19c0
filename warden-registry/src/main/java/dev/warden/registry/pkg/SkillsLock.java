package dev.warden.registry.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.registry.pkg.internal.AtomicFiles;
import dev.warden.registry.pkg.internal.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code skills.lock}: per installed skill, the exact version, source, manifest hash and publisher
 * key, so that the agent can be rebuilt to the same skills and drift is detectable. Skills staged
 * but not yet out of quarantine are listed apart, under {@code quarantined}.
 *
 * <p>Format: JSON, keys sorted, indented (stable diffs); no timestamps, so the same installs give
 * the same file. Written atomically. Immutable: {@code with…} methods return a new lock.
 */
public final class SkillsLock {
  public static final int FORMAT_VERSION = 1;

  /** Largest lock file read, in bytes. */
  public static final long MAX_FILE_BYTES = 8L * 1024 * 1024;

  /** One skill's pin. {@code publisherKeyIdOrNull} is null only for an unsigned package. */
  public record Entry(String name, String version, String source, String manifestSha256, String publisher,
      String publisherKeyIdOrNull, TrustStatus trust) {
    public Entry {
      PackageManifest.requireName(name);
      PackageManifest.requireVersion(version);
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(manifestSha256, "manifestSha256");
      Objects.requireNonNull(publisher, "publisher");
      Objects.requireNonNull(trust, "trust");
    }

    public static Entry of(VerifiedPackage pkg, SkillSource source) {
      return new Entry(pkg.name(), pkg.version(), source.describe(), pkg.manifest().sha256(), pkg.manifest().publisher(),
          pkg.keyOrNull() == null ? null : pkg.keyOrNull().keyId(), pkg.trust());
    }
  }

  private final Map<String, Entry> skills;
  private final Map<String, Entry> quarantined;

  private SkillsLock(Map<String, Entry> skills, Map<String, Entry> quarantined) {
    this.skills = Map.copyOf(skills);
    this.quarantined = Map.copyOf(quarantined);
  }

  public static SkillsLock empty() {
    return new SkillsLock(Map.of(), Map.of());
  }

  public Map<String, Entry> skills() {
    return new TreeMap<>(skills);
  }

  public Map<String, Entry> quarantined() {
    return new TreeMap<>(quarantined);
  }

  public Optional<Entry> skill(String name) {
    return Optional.ofNullable(skills.get(name));
  }

  public Optional<Entry> quarantinedEntry(String name) {
    return Optional.ofNullable(quarantined.get(name));
  }

  public SkillsLock withQuarantined(Entry e) {
    Map<String, Entry> q = new TreeMap<>(quarantined);
    q.put(e.name(), e);
    return new SkillsLock(skills, q);
  }

  /** Moves the quarantined entry of {@code name} to the installed skills. */
  public SkillsLock withReleased(String name) {
    Entry e = quarantined.get(name);
    if (e == null) {
      throw new IllegalStateException("no quarantined entry for " + name);
    }
    Map<String, Entry> q = new TreeMap<>(quarantined);
    q.remove(name);
    Map<String, Entry> s = new TreeMap<>(skills);
    s.put(name, e);
    return new SkillsLock(s, q);
  }

  public SkillsLock without(String name) {
    Map<String, Entry> q = new TreeMap<>(quarantined);
    q.remove(name);
    Map<String, Entry> s = new TreeMap<>(skills);
    s.remove(name);
    return new SkillsLock(s, q);
  }

  public static SkillsLock read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return empty();
    }
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new IOException(file + " is over " + MAX_FILE_BYTES + " bytes; not a skills.lock");
    }
    try {
      JsonNode root = CanonicalJson.read(Files.readAllBytes(file));
      if (root.path("lockVersion").asInt() != FORMAT_VERSION) {
        throw new IOException("unsupported lockVersion " + root.path("lockVersion"));
      }
      return new SkillsLock(entries(root.path("skills")), entries(root.path("quarantined")));
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot read " + file + ": " + e.getMessage() + "; restore it from version control or a snapshot", e);
    }
  }

  public void write(Path file) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("lockVersion", FORMAT_VERSION);
    root.put("skills", toJson(skills));
    root.put("quarantined", toJson(quarantined));
    AtomicFiles.write(file, CanonicalJson.writePretty(root));
  }

  private static Map<String, Entry> entries(JsonNode obj) {
    Map<String, Entry> out = new TreeMap<>();
    obj.properties().forEach(p -> {
      JsonNode n = p.getValue();
      Entry e = new Entry(p.getKey(), n.path("version").asText(), n.path("source").asText(), n.path("manifestSha256").asText(),
          n.path("publisher").asText(), n.hasNonNull("publisherKeyId") ? n.get("publisherKeyId").asText() : null,
          TrustStatus.valueOf(n.path("trust").asText()));
      out.put(e.name(), e);
    });
    return out;
  }

  private static Map<String, Object> toJson(Map<String, Entry> entries) {
    Map<String, Object> out = new TreeMap<>();
    for (Entry e : entries.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", e.version());
      m.put("source", e.source());
      m.put("manifestSha256", e.manifestSha256());
      m.put("publisher", e.publisher());
      m.put("publisherKeyId", e.publisherKeyIdOrNull());
      m.put("trust", e.trust().name());
      out.put(e.name(), m);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SkillsLock l && l.skills.equals(skills) && l.quarantined.equals(quarantined);
  }

  @Override
  public int hashCode() {
    return Objects.hash(skills, quarantined);
  }
}
