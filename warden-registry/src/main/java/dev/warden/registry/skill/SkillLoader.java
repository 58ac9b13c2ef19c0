package dev.warden.registry.skill;

import dev.warden.registry.skill.internal.Frontmatter;
import dev.warden.registry.skill.internal.ManifestParser;
import dev.warden.registry.skill.internal.Yaml;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads one skill folder in the OpenClaw / AgentSkills layout.
 *
 * <p>Layout: {@code SKILL.md} with YAML frontmatter ({@code name}, {@code description}, optional
 * {@code homepage}, {@code metadata}), then Markdown; optional scripts and files; optional sidecar
 * {@code warden.yaml}. Requirements come from {@code metadata.openclaw}, or the older keys
 * {@code metadata.clawdbot} / {@code metadata.moltbot} seen in published skills. The permission
 * manifest comes from {@code metadata.warden} and/or {@code warden.yaml}; when both are present they
 * must be equal.
 *
 * <p>Failure: every problem is a {@link SkillFormatException} naming the file and line. Loading
 * never runs anything from the skill; symlinks are listed but not followed.
 */
public final class SkillLoader {
  public static final String SKILL_FILE = "SKILL.md";
  public static final String MANIFEST_FILE = "warden.yaml";
  /** Largest {@code SKILL.md} accepted, in bytes. */
  public static final int MAX_SKILL_MD_BYTES = 1024 * 1024;
  /** Most files listed per skill; a skill with more is rejected. */
  public static final int MAX_FILES_PER_SKILL = 2_000;
  /** Deepest sub-folder listed inside a skill. */
  public static final int MAX_DIR_DEPTH = 10;
  /** Metadata keys holding OpenClaw requirements, in order of preference. */
  public static final List<String> METADATA_KEYS = List.of("openclaw", "clawdbot", "moltbot");

  private SkillLoader() {}

  /** Loads the skill in {@code dir} as a skill of {@code tier}. */
  public static Skill load(Path dir, SkillTier tier) throws SkillFormatException {
    Path d = dir.toAbsolutePath().normalize();
    Path file = d.resolve(SKILL_FILE);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new SkillFormatException(file, 0, "no SKILL.md in " + d + " (a skill is a folder with a SKILL.md file)");
    }
    String text = readText(file, MAX_SKILL_MD_BYTES);
    Frontmatter.Parts parts = Frontmatter.split(text, file);
    Map<String, Object> fm = parts.yaml();
    String name = requiredString(fm, "name", file, text);
    String description = requiredString(fm, "description", file, text);
    if (name.length() > Skill.MAX_NAME_CHARS || name.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == '\\')) {
      throw new SkillFormatException(file, lineOf(text, "name:"), "skill name '" + name
          + "' must be at most " + Skill.MAX_NAME_CHARS + " characters without spaces or slashes (e.g. my-skill)");
    }
    Map<String, Object> metadata = metadata(fm.get("metadata"), file, text);
    Map<String, Object> oc = Map.of();
    for (String k : METADATA_KEYS) {
      if (metadata.get(k) instanceof Map<?, ?>) {
        oc = Yaml.map(metadata.get(k));
        break;
      }
    }
    SkillRequirements req = requirements(oc, Yaml.stringOrNull(fm.get("homepage")));
    PermissionManifest manifest = manifest(d, file, text, metadata);
    return new Skill(name, description, d, tier, parts.body(), req, manifest, listFiles(d), parts.bodyFirstLine());
  }

  private static Map<String, Object> metadata(Object o, Path file, String text) throws SkillFormatException {
    if (o instanceof String s && !s.isBlank()) {
      // Some skills write metadata as one JSON string; JSON is YAML, so parse it again.
      return Frontmatter.parseMap(s, file, lineOf(text, "metadata:"), "metadata");
    }
    if (o != null && !(o instanceof Map<?, ?>)) {
      throw new SkillFormatException(file, lineOf(text, "metadata:"), "'metadata' must be a mapping");
    }
    return Yaml.map(o);
  }

  private static SkillRequirements requirements(Map<String, Object> oc, String topHomepage) {
    Map<String, Object> requires = Yaml.map(oc.get("requires"));
    List<InstallSpec> install = new ArrayList<>();
    for (Object o : Yaml.list(oc.get("install"))) {
      Map<String, Object> e = Yaml.map(o);
      if (e.isEmpty()) {
        continue;
      }
      String target = "";
      for (String k : List.of("formula", "package", "module", "url", "cask", "tap")) {
        if (e.get(k) != null) {
          target = Yaml.string(e.get(k));
          break;
        }
      }
      install.add(new InstallSpec(Yaml.string(e.get("id")), Yaml.string(e.get("kind")), Yaml.string(e.get("label")),
          target, Yaml.stringOrNull(e.get("sha256")), Yaml.strings(e.get("bins")), Yaml.strings(e.get("os")), e));
    }
    String homepage = Yaml.stringOrNull(oc.get("homepage"));
    return new SkillRequirements(
        Yaml.strings(requires.get("bins")),
        Yaml.strings(requires.get("anyBins")),
        Yaml.strings(requires.get("env")),
        Yaml.strings(oc.get("os")),
        Yaml.stringOrNull(oc.get("primaryEnv")),
        Yaml.stringOrNull(oc.get("emoji")),
        homepage != null ? homepage : topHomepage,
        install);
  }

  private static PermissionManifest manifest(Path dir, Path file, String text, Map<String, Object> metadata)
      throws SkillFormatException {
    PermissionManifest inline = null;
    if (metadata.containsKey("warden")) {
      inline = ManifestParser.parse(metadata.get("warden"), file, lineOf(text, "warden"));
    }
    PermissionManifest sidecar = null;
    Path side = dir.resolve(MANIFEST_FILE);
    if (Files.isRegularFile(side, LinkOption.NOFOLLOW_LINKS)) {
      String yaml = readText(side, Frontmatter.MAX_FRONTMATTER_CHARS);
      Map<String, Object> m = Frontmatter.parseMap(yaml, side, 1, MANIFEST_FILE);
      sidecar = ManifestParser.parse(m.isEmpty() ? null : m, side, 1);
    }
    if (inline != null && sidecar != null && !inline.equals(sidecar)) {
      throw new SkillFormatException(side, 0, "the permission manifest in " + MANIFEST_FILE
          + " differs from metadata.warden in SKILL.md (" + String.join(", ", inline.diff(sidecar).describe())
          + "); keep one of them, or make them identical");
    }
    return inline != null ? inline : sidecar != null ? sidecar : PermissionManifest.NONE;
  }

  private static String requiredString(Map<String, Object> fm, String key, Path file, String text)
      throws SkillFormatException {
    Object v = fm.get(key);
    if (v == null || v instanceof Map<?, ?> || v instanceof List<?> || String.valueOf(v).isBlank()) {
      throw new SkillFormatException(file, v == null ? 2 : lineOf(text, key + ":"),
          "frontmatter needs a non-empty '" + key + ":' text field");
    }
    return String.valueOf(v).strip();
  }

  /** 1-based line of the first line starting with {@code prefix} (after indentation), else 0. */
  static int lineOf(String text, String prefix) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      if (l.startsWith(prefix) || l.startsWith("\"" + prefix.replace(":", "") + "\"")) {
        return i + 1;
      }
    }
    return 0;
  }

  /** Reads a text file as UTF-8; undecodable bytes become U+FFFD so that scanning still sees the rest. */
  public static String readText(Path file, int maxBytes) throws SkillFormatException {
    try {
      long size = Files.size(file);
      if (size > maxBytes) {
        throw new SkillFormatException(file, 0, "file is " + size + " bytes, the limit is " + maxBytes);
      }
      byte[] bytes = Files.readAllBytes(file);
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (IOException e) {
      throw new SkillFormatException(file, 0, "cannot read: " + e);
    }
  }

  private static List<Path> listFiles(Path dir) throws SkillFormatException {
    try (Stream<Path> s = Files.walk(dir, MAX_DIR_DEPTH, new FileVisitOption[0])) {
      List<Path> files = s.filter(p -> !p.equals(dir))
          .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p))
          .map(dir::relativize)
          .limit(MAX_FILES_PER_SKILL + 1L)
          .sorted()
          .toList();
      if (files.size() > MAX_FILES_PER_SKILL) {
        throw new SkillFormatException(dir, 0, "skill has more than " + MAX_FILES_PER_SKILL
            + " files (MAX_FILES_PER_SKILL); ship data separately");
      }
      return files;
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new SkillFormatException(dir, 0, "cannot list the skill's files: " + e);
    }
  }
}
