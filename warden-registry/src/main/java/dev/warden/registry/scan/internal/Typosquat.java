package dev.warden.registry.scan.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Names that imitate a known skill: the same letters after folding look-alikes (Cyrillic 'а',
 * digit '0', "rn" for 'm', separators), or within a small edit distance. Short names are only
 * compared by look-alike folding: at four letters or fewer, one edit turns most names into other
 * real names.
 */
public final class Typosquat {
  /** Names shorter than this are compared only after look-alike folding. */
  public static final int MIN_NAME_CHARS_FOR_EDIT_DISTANCE = 5;
  /** Names at least this long allow two edits; shorter ones one. */
  public static final int MIN_NAME_CHARS_FOR_TWO_EDITS = 10;

  private static final Map<Character, Character> CONFUSABLES = Map.ofEntries(
      Map.entry('а', 'a'), Map.entry('е', 'e'), Map.entry('о', 'o'), Map.entry('р', 'p'), Map.entry('с', 'c'),
      Map.entry('у', 'y'), Map.entry('х', 'x'), Map.entry('і', 'i'), Map.entry('ј', 'j'), Map.entry('ѕ', 's'),
      Map.entry('ԁ', 'd'), Map.entry('ɡ', 'g'), Map.entry('һ', 'h'), Map.entry('ⅼ', 'l'), Map.entry('ο', 'o'),
      Map.entry('α', 'a'), Map.entry('ν', 'v'), Map.entry('τ', 't'), Map.entry('κ', 'k'), Map.entry('ι', 'i'),
      Map.entry('0', 'o'), Map.entry('1', 'l'), Map.entry('3', 'e'), Map.entry('5', 's'), Map.entry('|', 'l'),
      Map.entry('ı', 'i'), Map.entry('í', 'i'), Map.entry('ì', 'i'), Map.entry('é', 'e'), Map.entry('á', 'a'),
      Map.entry('ó', 'o'), Map.entry('ú', 'u'), Map.entry('ü', 'u'), Map.entry('ö', 'o'), Map.entry('ä', 'a'));

  private Typosquat() {}

  /** Look-alike folding: lower case, confusables mapped, separators dropped, "rn"→m, "vv"→w, "l"/"i" merged. */
  public static String skeleton(String name) {
    StringBuilder b = new StringBuilder();
    for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '-' || c == '_' || c == '.' || c == ' ') {
        continue;
      }
      b.append(CONFUSABLES.getOrDefault(c, c));
    }
    return b.toString().replace("rn", "m").replace("vv", "w").replace("cl", "d").replace('l', 'i');
  }

  /** The known name {@code name} imitates, or null. Equal names are not squats (that is shadowing). */
  public static String imitatedOrNull(String name, Set<String> known) {
    Map<String, String> skeletons = new java.util.HashMap<>();
    known.forEach(k -> skeletons.put(k, skeleton(k)));
    return imitatedOrNull(name, skeletons);
  }

  /** As {@link #imitatedOrNull(String, Set)}, with the known names' skeletons computed once. */
  public static String imitatedOrNull(String name, Map<String, String> knownSkeletons) {
    Set<String> known = knownSkeletons.keySet();
    String n = name.toLowerCase(Locale.ROOT);
    if (known.contains(n)) {
      return null;
    }
    String sk = skeleton(n);
    for (var e : knownSkeletons.entrySet()) {
      if (e.getValue().equals(sk)) {
        return e.getKey();
      }
    }
    if (n.length() < MIN_NAME_CHARS_FOR_EDIT_DISTANCE) {
      return null;
    }
    for (String k : known) {
      if (k.length() < MIN_NAME_CHARS_FOR_EDIT_DISTANCE) {
        continue;
      }
      int max = Math.min(n.length(), k.length()) >= MIN_NAME_CHARS_FOR_TWO_EDITS ? 2 : 1;
      if (Math.abs(n.length() - k.length()) <= max && distance(n, k) <= max) {
        // A differing trailing digit/version ("tool2") or a separator added is still a squat; a
        // differing whole word is not reachable within these distances.
        return k;
      }
    }
    return null;
  }

  /** Optimal string alignment (Damerau–Levenshtein with adjacent transpositions). */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
