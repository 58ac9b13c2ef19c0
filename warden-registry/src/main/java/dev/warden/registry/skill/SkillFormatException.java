package dev.warden.registry.skill;

import dev.warden.kernel.WardenSecurityException;
import java.nio.file.Path;

/**
 * A skill folder that cannot be read as an OpenClaw / AgentSkills skill: no {@code SKILL.md},
 * malformed YAML frontmatter, a missing {@code name}, or a permission manifest that contradicts
 * itself. The message names the file and (1-based) line.
 */
public final class SkillFormatException extends WardenSecurityException {
  private final Path file;
  private final int line;

  public SkillFormatException(Path file, int line, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    this.file = file;
    this.line = line;
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }

  /** 1-based line in {@link #file()}, or 0 when the problem is not tied to a line. */
  public int line() {
    return line;
  }
}
