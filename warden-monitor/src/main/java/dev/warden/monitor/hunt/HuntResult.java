package dev.warden.monitor.hunt;

import dev.warden.monitor.internal.MonitorJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows a hunt returned, and their renderings.
 *
 * @param truncated more rows matched than {@link HuntRunner#MAX_ROWS}
 */
public record HuntResult(List<String> columns, List<List<Object>> rows, boolean truncated, Duration took) {

  /** Cells wider than this are cut in the table view (JSON and CSV keep them whole). */
  public static final int TABLE_CELL_MAX_CHARS = 80;

  public HuntResult {
    columns = List.copyOf(columns);
    List<List<Object>> copy = new ArrayList<>(rows.size());
    for (List<Object> r : rows) {
      copy.add(Collections.unmodifiableList(new ArrayList<>(r)));
    }
    rows = Collections.unmodifiableList(copy);
  }

  public List<Map<String, Object>> asMaps() {
    List<Map<String, Object>> out = new ArrayList<>(rows.size());
    for (List<Object> r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        m.put(columns.get(i), r.get(i));
      }
      out.add(m);
    }
    return out;
  }

  public String toJson() {
    return MonitorJson.write(asMaps());
  }

  /**
   * RFC 4180 CSV. A cell that starts with {@code = + - @} (or a tab/CR) gets a leading {@code '} so
   * that a spreadsheet opening the file does not run it as a formula: event fields come from
   * untrusted content.
   */
  public String toCsv() {
    StringBuilder sb = new StringBuilder();
    sb.append(csvLine(new ArrayList<>(columns)));
    for (List<Object> r : rows) {
      sb.append(csvLine(r));
    }
    return sb.toString();
  }

  private static String csvLine(List<?> cells) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      Object c = cells.get(i);
      String s = c == null ? "" : c.toString();
      if (!s.isEmpty() && !(c instanceof Number) && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
        s = "'" + s;
      }
      if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
        s = '"' + s.replace("\"", "\"\"") + '"';
      }
      sb.append(s);
    }
    return sb.append("\r\n").toString();
  }

  /** A plain-text table; control characters in cells are shown as {@code ?}. */
  public String toTable() {
    int n = columns.size();
    int[] w = new int[n];
    List<String[]> cells = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      w[i] = columns.get(i).length();
    }
    for (List<Object> r : rows) {
      String[] c = new String[n];
      for (int i = 0; i < n; i++) {
        c[i] = cell(r.get(i));
        w[i] = Math.max(w[i], c[i].length());
      }
      cells.add(c);
    }
    StringBuilder sb = new StringBuilder();
    appendRow(sb, columns.toArray(new String[0]), w);
    String[] rule = new String[n];
    for (int i = 0; i < n; i++) {
      rule[i] = "-".repeat(w[i]);
    }
    appendRow(sb, rule, w);
    for (String[] c : cells) {
      appendRow(sb, c, w);
    }
    sb.append('(').append(rows.size()).append(rows.size() == 1 ? " row" : " rows")
        .append(truncated ? ", truncated at " + HuntRunner.MAX_ROWS : "").append(", ").append(took.toMillis()).append(" ms)\n");
    return sb.toString();
  }

  private static void appendRow(StringBuilder sb, String[] c, int[] w) {
    for (int i = 0; i < c.length; i++) {
      if (i > 0) {
        sb.append("  ");
      }
      sb.append(c[i]);
      if (i < c.length - 1) {
        sb.append(" ".repeat(w[i] - c[i].length()));
      }
    }
    sb.append('\n');
  }

  private static String cell(Object o) {
    String s = o == null ? "" : o.toString();
    StringBuilder sb = new StringBuilder(Math.min(s.length(), TABLE_CELL_MAX_CHARS + 1));
    for (int i = 0; i < s.length(); i++) {
      if (sb.length() >= TABLE_CELL_MAX_CHARS) {
        sb.append('…');
        break;
      }
      char ch = s.charAt(i);
      // Terminal escapes from untrusted fields must not reach the operator's terminal.
      sb.append(Character.isISOControl(ch) ? '?' : ch);
    }
    return sb.toString();
  }
}
