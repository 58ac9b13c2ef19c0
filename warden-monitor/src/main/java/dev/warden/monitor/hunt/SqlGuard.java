package dev.warden.monitor.hunt;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * First line of defence for ad-hoc {@code warden hunt --sql}: exactly one statement, which is a
 * SELECT or a WITH … SELECT, with no writing or schema keyword outside string literals.
 *
 * <p>Not the only line: the query also runs on a connection opened read-only with
 * {@code PRAGMA query_only=1}, so SQLite itself refuses any write this check were to miss.
 */
public final class SqlGuard {

  /** Longest ad-hoc query accepted. */
  public static final int MAX_SQL_CHARS = 20_000;

  private static final Set<String> FORBIDDEN = Set.of("insert", "update", "delete", "replace", "drop", "create",
      "alter", "attach", "detach", "pragma", "vacuum", "reindex", "analyze", "begin", "commit", "rollback",
      "savepoint", "release", "load_extension", "writefile", "readfile", "edit", "fts3_tokenizer");

  private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private SqlGuard() {}

  /**
   * @return the statement without a trailing semicolon
   * @throws IllegalArgumentException naming what is refused
   */
  public static String checkReadOnly(String sql) {
    if (sql == null || sql.isBlank()) {
      throw new IllegalArgumentException("--sql needs a query, e.g. --sql \"SELECT host, COUNT(*) FROM events GROUP BY host\"");
    }
    if (sql.length() > MAX_SQL_CHARS) {
      throw new IllegalArgumentException("the query is " + sql.length() + " characters; at most " + MAX_SQL_CHARS + " are accepted");
    }
    String blanked = codeOnly(sql);
    int end = blanked.length();
    while (end > 0 && (Character.isWhitespace(blanked.charAt(end - 1)) || blanked.charAt(end - 1) == ';')) {
      end--;
    }
    String code = blanked.substring(0, end);
    String trimmed = sql.substring(0, end).strip();
    if (code.indexOf(';') >= 0) {
      throw new IllegalArgumentException("only a single statement is accepted; remove the ';' between statements");
    }
    Matcher m = WORD.matcher(code);
    if (!m.find()) {
      throw new IllegalArgumentException("the query must start with SELECT or WITH");
    }
    String first = m.group().toLowerCase(Locale.ROOT);
    if (!first.equals("select") && !first.equals("with")) {
      throw new IllegalArgumentException("only SELECT (or WITH … SELECT) queries are accepted; '" + m.group()
          + "' would not be read-only");
    }
    m.reset();
    while (m.find()) {
      String w = m.group().toLowerCase(Locale.ROOT);
      if (FORBIDDEN.contains(w)) {
        throw new IllegalArgumentException("'" + m.group() + "' is not allowed in a hunting query (read-only SELECT only)");
      }
    }
    return trimmed;
  }

  /**
   * The SQL with string literals and quoted identifiers replaced by '_' and comments by spaces, keeping every
   * other character at its index (so positions found here apply to the original).
   */
  static String codeOnly(String sql) {
    char[] out = sql.toCharArray();
    int i = 0;
    int n = out.length;
    while (i < n) {
      char c = sql.charAt(i);
      int start = i;
      // Literals become '_' (not whitespace, so trimming never eats them); comments become spaces.
      char fill = ' ';
      if (c == '\'' || c == '"' || c == '`' || c == '[') {
        fill = '_';
        char close = c == '[' ? ']' : c;
        i++;
        while (i < n) {
          char d = sql.charAt(i);
          if (d == close) {
            if (close != ']' && i + 1 < n && sql.charAt(i + 1) == close) {
              i += 2; // doubled quote inside the literal
              continue;
            }
            i++;
            break;
          }
          i++;
        }
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        i++;
        continue;
      }
      for (int k = start; k < i; k++) {
        out[k] = out[k] == '\n' ? '\n' : fill;
      }
    }
    return new String(out);
  }
}
