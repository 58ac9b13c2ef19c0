package dev.warden.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * A minimal unified line diff, shown to the owner before a write to an instruction or memory file
 * is approved. Hand-written because the kernel takes no dependencies; inputs are bounded by
 * {@link #MAX_LINES} (beyond that the diff says it is truncated rather than spending quadratic time).
 */
public final class LineDiff {
  /** Longest input (in lines, each side) that is diffed line by line. */
  public static final int MAX_LINES = 2000;

  private LineDiff() {}

  public static String unified(String name, String before, String after) {
    List<String> a = before.isEmpty() ? List.of() : List.of(before.split("\n", -1));
    List<String> b = after.isEmpty() ? List.of() : List.of(after.split("\n", -1));
    StringBuilder sb = new StringBuilder("--- a/" + name + "\n+++ b/" + name + "\n");
    if (a.size() > MAX_LINES || b.size() > MAX_LINES) {
      return sb + "(diff omitted: more than " + MAX_LINES + " lines; " + a.size() + " → " + b.size() + " lines)\n";
    }
    int[][] lcs = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.size() && j < b.size()) {
      if (a.get(i).equals(b.get(j))) {
        out.add(" " + a.get(i));
        i++;
        j++;
      } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
        out.add("-" + a.get(i++));
      } else {
        out.add("+" + b.get(j++));
      }
    }
    while (i < a.size()) {
      out.add("-" + a.get(i++));
    }
    while (j < b.size()) {
      out.add("+" + b.get(j++));
    }
    for (String line : out) {
      sb.append(line).append('\n');
    }
    return sb.toString();
  }
}
