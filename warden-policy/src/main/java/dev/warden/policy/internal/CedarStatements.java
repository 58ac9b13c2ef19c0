package dev.warden.policy.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code .cedar} file into its statements so that each policy can be parsed on its own
 * and every error can name the file and line it came from (cedar-java's parser reports what went
 * wrong but not where).
 *
 * <p>Cedar has no block comments and no character literals, so a statement ends at the first
 * {@code ;} that is neither inside a string literal nor inside a {@code //} comment.
 */
public final class CedarStatements {
  private CedarStatements() {}

  /**
   * One statement: its text from its first significant character through its {@code ;} (or to the
   * end of the file when the {@code ;} is missing), and the 1-based line that character is on.
   */
  public record Statement(String text, int startOffset, int startLine) {
    /** 1-based file line of a character offset within {@link #text}. */
    public int lineOf(int offsetInText) {
      int line = startLine;
      int end = Math.min(Math.max(offsetInText, 0), text.length());
      for (int i = 0; i < end; i++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      return line;
    }
  }

  public static List<Statement> split(String source) {
    List<Statement> out = new ArrayList<>();
    int start = -1;
    boolean inString = false;
    boolean inComment = false;
    for (int i = 0; i < source.length(); i++) {
      char ch = source.charAt(i);
      if (inComment) {
        if (ch == '\n') {
          inComment = false;
        }
        continue;
      }
      if (inString) {
        if (ch == '\\') {
          i++;
        } else if (ch == '"') {
          inString = false;
        }
        continue;
      }
      if (ch == '/' && i + 1 < source.length() && source.charAt(i + 1) == '/') {
        inComment = true;
        i++;
        continue;
      }
      if (Character.isWhitespace(ch)) {
        continue;
      }
      if (start < 0) {
        start = i;
      }
      if (ch == '"') {
        inString = true;
      } else if (ch == ';') {
        out.add(new Statement(source.substring(start, i + 1), start, lineAt(source, start)));
        start = -1;
      }
    }
    if (start >= 0) {
      out.add(new Statement(source.substring(start).stripTrailing(), start, lineAt(source, start)));
    }
    return out;
  }

  private static int lineAt(String source, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (source.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
