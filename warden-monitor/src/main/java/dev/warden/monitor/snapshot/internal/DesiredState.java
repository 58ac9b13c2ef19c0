package dev.warden.monitor.snapshot.internal;

import dev.warden.kernel.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Reading the desired state: warden.yaml and skills.lock (YAML or JSON), and directory tree hashes. */
public final class DesiredState {
  /** Largest warden.yaml or skills.lock read. */
  public static final int MAX_DESIRED_STATE_BYTES = 4 * 1024 * 1024;
  /** Most files hashed in one tree (a skill, the policies directory). */
  public static final int MAX_TREE_FILES = 10_000;
  /** Most YAML aliases expanded (billion-laughs guard). */
  public static final int MAX_YAML_ALIASES = 50;

  private DesiredState() {}

  public static Object loadYamlAny(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException(file + " does not exist; it is the desired state — restore it from a snapshot or "
          + "`warden init`");
    }
    if (Files.size(file) > MAX_DESIRED_STATE_BYTES) {
      throw new IOException(file + " is larger than " + MAX_DESIRED_STATE_BYTES + " bytes");
    }
    try {
      return new Load(LoadSettings.builder().setAllowDuplicateKeys(false).setMaxAliasesForCollections(MAX_YAML_ALIASES)
          .build()).loadFromString(Files.readString(file, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      throw new IOException(file + " is not valid YAML: " + msg, e);
    }
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> loadYaml(Path file) throws IOException {
    Object o = loadYamlAny(file);
    if (o == null) {
      return Map.of();
    }
    if (!(o instanceof Map<?, ?>)) {
      throw new IOException(file + " must be a YAML mapping at the top level");
    }
    return (Map<String, Object>) o;
  }

  /**
   * skills.lock as name → tree hash (null when the entry has none). Shapes: {@code skills:} holding a
   * map name → entry or a list of entries with {@code name}, or a top-level map name → entry; the
   * hash is the first of {@code tree_sha256}, {@code sha256}, {@code hash}, {@code digest}, with an
   * optional {@code sha256:} prefix.
   */
  public static Map<String, String> lockedSkills(Path lockFile) throws IOException {
    Map<String, String> locked = new TreeMap<>();
    if (!Files.exists(lockFile)) {
      return locked;
    }
    Object doc = loadYamlAny(lockFile);
    Object skills = doc instanceof Map<?, ?> m && m.containsKey("skills") ? m.get("skills") : doc;
    if (skills instanceof Map<?, ?> sm) {
      for (Map.Entry<?, ?> e : sm.entrySet()) {
        locked.put(String.valueOf(e.getKey()), hashOf(e.getValue()));
      }
    } else if (skills instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> em && em.get("name") != null) {
          locked.put(String.valueOf(em.get("name")), hashOf(em));
        }
      }
    } else if (skills != null) {
      throw new IOException(lockFile + ": expected a mapping or a list of skills");
    }
    return locked;
  }

  private static String hashOf(Object entry) {
    Object h = null;
    if (entry instanceof Map<?, ?> m) {
      for (String k : List.of("tree_sha256", "sha256", "hash", "digest")) {
        if (m.get(k) != null) {
          h = m.get(k);
          break;
        }
      }
    } else if (entry instanceof String s && !s.isBlank()) {
      h = s;
    }
    if (h == null) {
      return null;
    }
    String s = h.toString().toLowerCase(Locale.ROOT);
    return s.startsWith("sha256:") ? s.substring(7) : s;
  }

  /**
   * A directory's content hash: SHA-256 over the sorted lines {@code relative/path NUL sha256 LF}
   * of every regular file (links and temp files excluded; modes not included). A missing directory
   * hashes as empty.
   */
  public static String treeHash(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return Hashing.sha256Hex("");
    }
    TreeMap<String, String> files = new TreeMap<>();
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        if (attrs.isRegularFile() && !HomeFiles.isTempFile(f)) {
          if (files.size() >= MAX_TREE_FILES) {
            throw new IOException(dir + " holds more than " + MAX_TREE_FILES + " files");
          }
          files.put(dir.relativize(f).toString().replace('\\', '/'), Hashing.sha256Hex(Files.readAllBytes(f)));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    StringBuilder sb = new StringBuilder();
    files.forEach((k, v) -> sb.append(k).append('\0').append(v).append('\n'));
    return Hashing.sha256Hex(sb.toString());
  }
}
