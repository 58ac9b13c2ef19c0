package dev.warden.registry.scan;

import java.util.Objects;

/**
 * One thing the scanner found.
 *
 * @param code the rule's reason code, e.g. {@code WS101} (see {@link Rule})
 * @param severity how much it weighs toward the verdict
 * @param file the file, relative to the skill folder ({@code SKILL.md}, {@code scripts/run.sh})
 * @param line 1-based line, or 0 when the finding concerns the whole file or skill
 * @param message a short explanation for people, quoting the offending text (truncated)
 */
public record Finding(String code, Severity severity, String file, int line, String message) {
  /** Longest message kept; longer ones are cut (they quote untrusted text). */
  public static final int MAX_MESSAGE_CHARS = 300;

  public Finding {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
    if (line < 0) {
      throw new IllegalArgumentException("line must be >= 0, got " + line);
    }
    if (message.length() > MAX_MESSAGE_CHARS) {
      message = message.substring(0, MAX_MESSAGE_CHARS - 1) + "…";
    }
  }

  /** A finding for {@code rule} at its default severity. */
  public static Finding of(Rule rule, String file, int line, String message) {
    return new Finding(rule.code(), rule.severity(), file, line, message);
  }

  /** A finding for {@code rule} at another severity (context raised or lowered it). */
  public static Finding of(Rule rule, Severity severity, String file, int line, String message) {
    return new Finding(rule.code(), severity, file, line, message);
  }

  /** The rule's category: the hundreds digit of the code ({@code '1'} for WS101). */
  public char category() {
    return code.length() >= 3 ? code.charAt(2) : '0';
  }

  /** {@code SKILL.md:12: WS101 high pipe-to-shell: …} */
  @Override
  public String toString() {
    Rule r = Rule.byCodeOrNull(code);
    return file + (line > 0 ? ":" + line : "") + ": " + code + " " + severity.name().toLowerCase()
        + (r == null ? "" : " " + r.slug()) + ": " + message;
  }
}
