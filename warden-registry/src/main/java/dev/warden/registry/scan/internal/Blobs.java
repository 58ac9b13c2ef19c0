package dev.warden.registry.scan.internal;

import dev.warden.registry.scan.Rule;
import dev.warden.registry.scan.Severity;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Encoded and high-entropy payloads. A blob is decoded when possible: one that decodes to shell or
 * script text, or to an executable, is reported HIGH with a preview of what it hides. Base64 in a
 * {@code data:} URI (images, fonts) is ordinary and skipped.
 */
public final class Blobs {
  /** Shortest base64 run reported, in characters. */
  public static final int MIN_BASE64_BLOB_CHARS = 200;
  /** Shortest hex run reported, in characters. */
  public static final int MIN_HEX_BLOB_CHARS = 240;
  /** Shortest string literal checked for entropy, in characters. */
  public static final int MIN_ENTROPY_TOKEN_CHARS = 120;
  /** Shannon entropy (bits per character) above which a long token looks packed or encrypted. */
  public static final double HIGH_ENTROPY_BITS_PER_CHAR = 5.2;

  /** Longest prefix of a line searched for blobs, in characters (a blob is long, not megabytes long to be seen). */
  public static final int MAX_BLOB_LINE_CHARS = 64 * 1024;
  /** Blob findings per file; one shows the problem, more only add noise. */
  public static final int MAX_BLOBS_REPORTED_PER_FILE = 5;

  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{" + MIN_BASE64_BLOB_CHARS + ",}={0,2}");
  private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2}){" + (MIN_HEX_BLOB_CHARS / 2) + ",}");
  private static final Pattern HEX_ESCAPES = Pattern.compile("(?:\\\\x[0-9a-fA-F]{2}){30,}|(?:\\\\u00[0-9a-fA-F]{2}){30,}|(?:%[0-9a-fA-F]{2}){40,}");
  private static final Pattern DATA_URI = Pattern.compile("data:[\\w/+.-]+(?:;[\\w=-]+)*;base64,$");
  private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\\\s]|\\\\.){" + MIN_ENTROPY_TOKEN_CHARS + ",})\"|'((?:[^'\\\\\\s]|\\\\.){" + MIN_ENTROPY_TOKEN_CHARS + ",})'|(?<=\\s|^)(\\S{" + MIN_ENTROPY_TOKEN_CHARS + ",})(?=\\s|$)");
  private static final Pattern PAYLOAD_WORDS = Pattern.compile(
      "(?i)\\b(?:bash|sh -c|/bin/|curl|wget|eval|exec|import\\s|subprocess|powershell|iex|socket|http://|https://|chmod|base64|require\\(|child_process|os\\.system)");

  private Blobs() {}

  public static void scan(SourceFile f, Findings out) {
    int reported = 0;
    for (SourceFile.Line line : f.lines) {
      String t = line.text().length() > MAX_BLOB_LINE_CHARS ? line.text().substring(0, MAX_BLOB_LINE_CHARS) : line.text();
      if (t.length() < Math.min(MIN_BASE64_BLOB_CHARS, MIN_ENTROPY_TOKEN_CHARS)) {
        continue;
      }
      Matcher m = BASE64.matcher(t);
      while (m.find() && reported < MAX_BLOBS_REPORTED_PER_FILE) {
        String before = t.substring(Math.max(0, m.start() - 80), m.start());
        if (DATA_URI.matcher(before).find()) {
          continue;
        }
        if (m.group().matches("[A-Za-z]+") || m.group().matches("[0-9a-fA-F]+") && m.group().length() < MIN_HEX_BLOB_CHARS) {
          continue; // a long word or a short hex run, not base64
        }
        String decoded = decodeBase64OrNull(m.group());
        reported++;
        report(f, out, line.number(), "base64", m.group().length(), decoded);
      }
      m = HEX.matcher(t);
      while (m.find() && reported < MAX_BLOBS_REPORTED_PER_FILE) {
        reported++;
        report(f, out, line.number(), "hex", m.group().length(), text(HexFormat.of().parseHex(m.group().substring(0, m.group().length() & ~1))));
      }
      m = HEX_ESCAPES.matcher(t);
      while (m.find() && reported < MAX_BLOBS_REPORTED_PER_FILE) {
        reported++;
        report(f, out, line.number(), "escaped-byte", m.group().length(), unescape(m.group()));
      }
      // Only code: prose legitimately holds long example tokens, and blobs there are WS302's job.
      if (f.isCode() && !out.has(Rule.WS302, f.path)) {
        m = STRING_LITERAL.matcher(t);
        while (m.find()) {
          String tok = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
          if (tok.contains("://") || tok.startsWith("data:") || tok.contains("](") || tok.startsWith("eyJ")) {
            continue;
          }
          double e = entropy(tok);
          if (e >= HIGH_ENTROPY_BITS_PER_CHAR) {
            out.add(Rule.WS304, f.path, line.number(), String.format("a %d-character string with %.1f bits/char of entropy (packed or encrypted data): %s",
                tok.length(), e, Findings.quote(tok)));
            break;
          }
        }
      }
    }
  }

  private static void report(SourceFile f, Findings out, int line, String kind, int length, String decodedOrNull) {
    if (decodedOrNull != null && (PAYLOAD_WORDS.matcher(decodedOrNull).find() || decodedOrNull.startsWith("\u007fELF") || decodedOrNull.startsWith("MZ"))) {
      out.add(Rule.WS302, Severity.HIGH, f.path, line, "a " + length + "-character " + kind + " blob that decodes to code: "
          + Findings.quote(decodedOrNull));
    } else {
      out.add(Rule.WS302, f.path, line, "a " + length + "-character " + kind + " blob (content hidden from review)");
    }
  }

  private static String decodeBase64OrNull(String s) {
    try {
      String padded = s;
      while (padded.length() % 4 != 0) {
        padded += "=";
      }
      return text(Base64.getDecoder().decode(padded));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    Matcher m = Pattern.compile("(?:\\\\x|\\\\u00|%)([0-9a-fA-F]{2})").matcher(s);
    while (m.find()) {
      b.append((char) Integer.parseInt(m.group(1), 16));
    }
    return b.toString();
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  public static double entropy(String s) {
    int[] counts = new int[128];
    int other = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 128) counts[c]++; else other++;
    }
    double h = 0;
    int n = s.length();
    for (int c : counts) {
      if (c > 0) {
        double p = (double) c / n;
        h -= p * (Math.log(p) / Math.log(2));
      }
    }
    if (other > 0) {
      double p = (double) other / n;
      h -= p * (Math.log(p) / Math.log(2));
    }
    return h;
  }
}
