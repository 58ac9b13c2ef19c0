package dev.warden.registry.scan.internal;

import dev.warden.registry.scan.Rule;
import dev.warden.registry.scan.Severity;
import java.lang.Character.UnicodeScript;

/**
 * Hidden and look-alike text: zero-width characters, bidi overrides ("Trojan Source"), Unicode tag
 * characters (invisible ASCII smuggled to the model), variation-selector smuggling, and words that
 * mix Latin with Cyrillic or Greek look-alikes.
 *
 * <p>Emoji are legitimate and common in skills: a zero-width joiner between pictographs, a
 * variation selector after a symbol, and tag characters inside a flag sequence (🏴 … U+E007F) are
 * not reported.
 */
public final class Unicode {
  private Unicode() {}

  static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  public static boolean isBidiControl(int cp) {
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
  }

  public static boolean isZeroWidth(int cp) {
    return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x200E || cp == 0x200F || cp == 0x2060
        || (cp >= 0x2061 && cp <= 0x2064) || cp == 0xFEFF || cp == 0x180E || cp == 0x034F || cp == 0x115F
        || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0;
  }

  public static boolean isTag(int cp) {
    return cp >= 0xE0000 && cp <= 0xE007F;
  }

  public static boolean isSupplementaryVariationSelector(int cp) {
    return cp >= 0xE0100 && cp <= 0xE01EF;
  }

  public static boolean isInvisible(int cp) {
    return isBidiControl(cp) || isZeroWidth(cp) || isTag(cp) || isSupplementaryVariationSelector(cp);
  }

  private static boolean isPictographic(int cp) {
    return Character.isEmoji(cp) && cp > 0xFF || Character.isEmojiComponent(cp) && cp > 0xFF
        || (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF);
  }

  /** Reports invisible characters in {@code f}: one finding per kind per file. */
  public static void scan(SourceFile f, Findings out) {
    int tagCount = 0;
    int tagLine = 0;
    StringBuilder tagText = new StringBuilder();
    int bidiCount = 0;
    int bidiLine = 0;
    int zwCount = 0;
    int zwLine = 0;
    int vsCount = 0;
    int vsLine = 0;
    for (SourceFile.Line line : f.lines) {
      String s = line.text();
      if (isAscii(s)) {
        continue;
      }
      int prev = 0;
      boolean inFlag = false;
      for (int i = 0; i < s.length(); ) {
        int cp = s.codePointAt(i);
        int n = Character.charCount(cp);
        int next = i + n < s.length() ? s.codePointAt(i + n) : 0;
        if (cp == 0x1F3F4) {
          inFlag = true;
        } else if (isTag(cp)) {
          if (!inFlag) {
            tagCount++;
            tagLine = tagLine == 0 ? line.number() : tagLine;
            if (cp >= 0xE0020 && cp <= 0xE007E && tagText.length() < 80) {
              tagText.append((char) (cp - 0xE0000));
            }
          }
          if (cp == 0xE007F) {
            inFlag = false;
          }
        } else if (isBidiControl(cp)) {
          bidiCount++;
          bidiLine = bidiLine == 0 ? line.number() : bidiLine;
        } else if (isSupplementaryVariationSelector(cp)) {
          vsCount++;
          vsLine = vsLine == 0 ? line.number() : vsLine;
        } else if (isZeroWidth(cp)) {
          boolean emojiJoin = cp == 0x200D && isPictographic(prev) && isPictographic(next)
              || (cp == 0x200D && (prev == 0xFE0F || (prev >= 0x1F3FB && prev <= 0x1F3FF)) && isPictographic(next));
          boolean bom = cp == 0xFEFF && line.number() == 1 && i == 0;
          if (!emojiJoin && !bom) {
            zwCount++;
            zwLine = zwLine == 0 ? line.number() : zwLine;
          }
        } else if (!isPictographic(cp)) {
          inFlag = false;
        }
        prev = cp;
        i += n;
      }
    }
    if (tagCount > 0) {
      out.add(Rule.WS501, Severity.CRITICAL, f.path, tagLine, tagCount
          + " Unicode tag characters (invisible to people, read by models)"
          + (tagText.isEmpty() ? "" : "; hidden text: " + Findings.quote(tagText.toString())));
    }
    if (bidiCount > 0) {
      out.add(Rule.WS501, Severity.HIGH, f.path, bidiLine, bidiCount
          + " bidirectional override characters (text shown differs from text read)");
    }
    if (vsCount > 0) {
      out.add(Rule.WS501, Severity.HIGH, f.path, vsLine, vsCount
          + " supplementary variation selectors (can smuggle bytes invisibly)");
    }
    if (zwCount > 0) {
      out.add(Rule.WS501, zwCount >= 3 ? Severity.HIGH : Severity.MEDIUM, f.path, zwLine, zwCount
          + " zero-width characters outside emoji sequences");
    }
  }

  /** Reports words mixing Latin letters with Cyrillic, or Greek letters inside Latin words. */
  public static void scanHomoglyphs(SourceFile f, Findings out) {
    int count = 0;
    int first = 0;
    String example = null;
    for (SourceFile.Line line : f.lines) {
      String s = line.text();
      if (isAscii(s)) {
        continue;
      }
      int i = 0;
      while (i < s.length()) {
        int cp = s.codePointAt(i);
        if (!Character.isLetter(cp)) {
          i += Character.charCount(cp);
          continue;
        }
        int start = i;
        while (i < s.length() && Character.isLetter(s.codePointAt(i))) {
          i += Character.charCount(s.codePointAt(i));
        }
        String word = s.substring(start, i);
        if (isMixed(word)) {
          count++;
          if (first == 0) {
            first = line.number();
            example = word;
          }
        }
      }
    }
    if (count > 0) {
      out.add(Rule.WS502, f.path, first, count + " word(s) mixing Latin with look-alike letters of another script, e.g. "
          + Findings.quote(example) + " " + describe(example));
    }
  }

  static boolean isMixed(String word) {
    boolean latin = false;
    boolean cyrillic = false;
    boolean greekInside = false;
    int[] cps = word.codePoints().toArray();
    for (int k = 0; k < cps.length; k++) {
      UnicodeScript sc = UnicodeScript.of(cps[k]);
      if (sc == UnicodeScript.LATIN) {
        latin = true;
      } else if (sc == UnicodeScript.CYRILLIC || sc == UnicodeScript.ARMENIAN || sc == UnicodeScript.CHEROKEE) {
        cyrillic = true;
      } else if (sc == UnicodeScript.GREEK && k > 0 && k < cps.length - 1
          && UnicodeScript.of(cps[k - 1]) == UnicodeScript.LATIN && UnicodeScript.of(cps[k + 1]) == UnicodeScript.LATIN) {
        greekInside = true;
      }
    }
    return latin && cyrillic || greekInside;
  }

  private static String describe(String word) {
    StringBuilder b = new StringBuilder("(");
    word.codePoints().filter(cp -> UnicodeScript.of(cp) != UnicodeScript.LATIN).limit(3)
        .forEach(cp -> b.append(String.format("U+%04X %s; ", cp, UnicodeScript.of(cp))));
    return b.append(")").toString().replace("; )", ")");
  }
}
