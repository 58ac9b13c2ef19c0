package dev.warden.registry.skill.internal;

import dev.warden.registry.skill.SkillFormatException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Splits a {@code SKILL.md} into its YAML frontmatter and Markdown body, and parses YAML with
 * limits suited to untrusted input.
 *
 * <p>Threats: YAML from strangers. Aliases are capped (billion laughs), the input size is capped,
 * duplicate keys are rejected (a second {@code name:} could show one name to a reviewer and another
 * to a loader), and only plain data types are built (the engine constructs no Java objects).
 */
public final class Frontmatter {
  /** Largest frontmatter accepted, in characters. */
  public static final int MAX_FRONTMATTER_CHARS = 64 * 1024;
  /** Aliases per document: real skills use none. */
  public static final int MAX_YAML_ALIASES = 20;

  /** The parsed parts. {@code bodyFirstLine} is 1-based. */
  public record Parts(Map<String, Object> yaml, String body, int bodyFirstLine) {}

  private Frontmatter() {}

  public static Parts split(String text, Path file) throws SkillFormatException {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\r?\n", -1);
    if (lines.length == 0 || !lines[0].strip().equals("---")) {
      throw new SkillFormatException(file, 1,
          "SKILL.md must start with YAML frontmatter: a line '---', the fields (name, description, …), then '---'");
    }
    int close = -1;
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i].stripTrailing();
      if (l.equals("---") || l.equals("...")) {
        close = i;
        break;
      }
    }
    if (close < 0) {
      throw new SkillFormatException(file, 1, "the frontmatter opened on line 1 is never closed with a '---' line");
    }
    StringBuilder yaml = new StringBuilder();
    for (int i = 1; i < close; i++) {
      yaml.append(lines[i]).append('\n');
    }
    if (yaml.length() > MAX_FRONTMATTER_CHARS) {
      throw new SkillFormatException(file, 2, "frontmatter is " + yaml.length() + " characters, the limit is "
          + MAX_FRONTMATTER_CHARS + " (MAX_FRONTMATTER_CHARS); move long text into the Markdown body");
    }
    Map<String, Object> map = parseMap(yaml.toString(), file, 2, "frontmatter");
    StringBuilder body = new StringBuilder();
    for (int i = close + 1; i < lines.length; i++) {
      body.append(lines[i]);
      if (i < lines.length - 1) {
        body.append('\n');
      }
    }
    return new Parts(map, body.toString(), close + 2);
  }

  /**
   * Parses a YAML document that must be a mapping (or empty). {@code firstLine} is the 1-based line
   * of {@code file} where {@code yaml} starts, so errors point at the real line.
   */
  public static Map<String, Object> parseMap(String yaml, Path file, int firstLine, String what)
      throws SkillFormatException {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(file.toString())
        .setAllowDuplicateKeys(false)
        .setMaxAliasesForCollections(MAX_YAML_ALIASES)
        .setCodePointLimit(MAX_FRONTMATTER_CHARS * 2)
        .build();
    Object doc;
    try {
      doc = new Load(settings).loadFromString(yaml);
    } catch (MarkedYamlEngineException e) {
      // An error found at the end of the input ("got <stream end>") is better shown where the
      // unclosed construct began.
      long yamlLines = yaml.lines().count();
      var mark = e.getProblemMark().filter(m -> m.getLine() < yamlLines).or(e::getContextMark).or(e::getProblemMark);
      int line = mark.map(m -> m.getLine() + firstLine).orElse(firstLine);
      String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
      String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      throw new SkillFormatException(file, line, "malformed YAML in " + what + ": " + problem.strip() + context
          + "; fix the YAML (quote values containing ': ' or '#')");
    } catch (YamlEngineException e) {
      throw new SkillFormatException(file, firstLine, "malformed YAML in " + what + ": " + e.getMessage());
    }
    if (doc == null) {
      return Map.of();
    }
    if (!(doc instanceof Map<?, ?> m)) {
      throw new SkillFormatException(file, firstLine, what + " must be a YAML mapping (key: value lines), got a "
          + doc.getClass().getSimpleName());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      out.put(String.valueOf(e.getKey()), e.getValue());
    }
    return out;
  }
}
