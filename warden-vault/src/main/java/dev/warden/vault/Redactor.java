package dev.warden.vault;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds and removes secret values from text: the value itself and its base64 (standard and URL
 * alphabets, at every byte alignment, so a secret inside a longer base64 blob such as an HTTP Basic
 * credential is found), hex (both cases) and URL-encoded forms. A hit is replaced by
 * {@code [REDACTED:NAME]}.
 *
 * <p>Used on everything that leaves the trusted base as text: logs, audit records, model context,
 * channel output; the egress proxy uses {@link #firstIn(byte[])} as part of its leak scan.
 *
 * <p>Guarantees: an immutable snapshot of the vault's values at the time it was built (the vault
 * builds a fresh one after every change, {@link Vault#redactor()}); thread-safe; never includes a
 * value in anything it returns.
 *
 * <p>Limits: secrets shorter than {@link #MIN_SCANNED_SECRET_BYTES} are matched only in clear,
 * because their encodings are too short to tell apart from ordinary text. Transformations other than
 * those listed (compression, encryption, a value split across two requests) are not detected.
 */
public final class Redactor {
  /** Below this, only the clear value is matched (encodings of short values cause false positives). */
  public static final int MIN_SCANNED_SECRET_BYTES = 8;

  /** A redactor that knows no secrets: returns text unchanged. */
  public static final Redactor NONE = new Redactor(List.of());

  /** How a secret appeared in the scanned text. */
  public enum Encoding {
    CLEAR, BASE64, BASE64_URL, HEX, URL_ENCODED;

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** A secret found in text: its name and encoding, never its value. */
  public record Finding(String secretName, Encoding encoding) {
    public Finding {
      Objects.requireNonNull(secretName, "secretName");
      Objects.requireNonNull(encoding, "encoding");
    }

    /** e.g. {@code base64-encoded value of secret 'github'}. */
    public String describe() {
      return (encoding == Encoding.CLEAR ? "value" : encoding.label() + "-encoded value")
          + " of secret '" + secretName + "'";
    }
  }

  /**
   * One string to look for. {@code text} is for Java strings; {@code binary} is the same needle over
   * a Latin-1 view of bytes (identical for the ASCII encodings, different for a non-ASCII clear value).
   */
  private record Needle(String name, Encoding encoding, String text, String binary) {}

  private final List<Needle> needles;

  private Redactor(List<Needle> needles) {
    this.needles = needles;
  }

  /** Builds a redactor over {@code secrets} (name to value). */
  public static Redactor of(Map<String, Secret> secrets, SecretAccess access) {
    Objects.requireNonNull(access, "access");
    List<Needle> out = new ArrayList<>();
    for (Map.Entry<String, Secret> e : new LinkedHashMap<>(secrets).entrySet()) {
      byte[] raw = e.getValue().bytes(access);
      addNeedles(e.getKey(), raw, out);
      java.util.Arrays.fill(raw, (byte) 0);
    }
    // Longest first, so a full encoding is replaced before a shorter core of it.
    out.sort(Comparator.comparingInt((Needle n) -> n.text.length()).reversed());
    return new Redactor(List.copyOf(out));
  }

  private static void addNeedles(String name, byte[] raw, List<Needle> out) {
    String clearText = new String(raw, StandardCharsets.UTF_8);
    String clearBinary = new String(raw, StandardCharsets.ISO_8859_1);
    out.add(new Needle(name, Encoding.CLEAR, clearText, clearBinary));
    if (raw.length < MIN_SCANNED_SECRET_BYTES) {
      return;
    }
    LinkedHashMap<String, Encoding> forms = new LinkedHashMap<>();
    forms.put(Base64.getEncoder().encodeToString(raw), Encoding.BASE64);
    forms.putIfAbsent(Base64.getUrlEncoder().encodeToString(raw), Encoding.BASE64_URL);
    for (int k = 0; k < 3; k++) {
      byte[] shifted = new byte[k + raw.length];
      System.arraycopy(raw, 0, shifted, k, raw.length);
      int from = (8 * k + 5) / 6;
      int to = 8 * (k + raw.length) / 6;
      String std = Base64.getEncoder().withoutPadding().encodeToString(shifted);
      String url = Base64.getUrlEncoder().withoutPadding().encodeToString(shifted);
      forms.putIfAbsent(std.substring(from, to), Encoding.BASE64);
      forms.putIfAbsent(url.substring(from, to), Encoding.BASE64_URL);
      java.util.Arrays.fill(shifted, (byte) 0);
    }
    String hex = HexFormat.of().formatHex(raw);
    forms.putIfAbsent(hex, Encoding.HEX);
    forms.putIfAbsent(hex.toUpperCase(Locale.ROOT), Encoding.HEX);
    String form = URLEncoder.encode(clearText, StandardCharsets.UTF_8);
    for (String u : List.of(form, form.replace("+", "%20"))) {
      forms.putIfAbsent(u, Encoding.URL_ENCODED);
      forms.putIfAbsent(lowerPercentHex(u), Encoding.URL_ENCODED);
    }
    StringBuilder all = new StringBuilder();
    for (byte b : raw) {
      all.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
    }
    forms.putIfAbsent(all.toString(), Encoding.URL_ENCODED);
    forms.putIfAbsent(all.toString().toLowerCase(Locale.ROOT), Encoding.URL_ENCODED);
    forms.remove(clearText);
    forms.remove(clearBinary);
    for (Map.Entry<String, Encoding> f : forms.entrySet()) {
      out.add(new Needle(name, f.getValue(), f.getKey(), f.getKey()));
    }
  }

  private static String lowerPercentHex(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(c);
      if (c == '%' && i + 2 < s.length()) {
        b.append(Character.toLowerCase(s.charAt(i + 1))).append(Character.toLowerCase(s.charAt(i + 2)));
        i += 2;
      }
    }
    return b.toString();
  }

  /** Whether this redactor knows no secrets. */
  public boolean isEmpty() {
    return needles.isEmpty();
  }

  /** {@code text} with every known secret (in any supported encoding) replaced by {@code [REDACTED:NAME]}. */
  public String redact(String text) {
    String out = text;
    for (Needle n : needles) {
      if (out.contains(n.text)) {
        out = out.replace(n.text, "[REDACTED:" + n.name + "]");
      }
    }
    return out;
  }

  /** Every distinct (secret, encoding) found in {@code text}. */
  public List<Finding> findIn(String text) {
    List<Finding> found = new ArrayList<>();
    for (Needle n : needles) {
      if (text.contains(n.text)) {
        Finding f = new Finding(n.name, n.encoding);
        if (!found.contains(f)) {
          found.add(f);
        }
      }
    }
    return found;
  }

  /** The first secret found in {@code text}, if any. */
  public Optional<Finding> firstIn(String text) {
    for (Needle n : needles) {
      if (text.contains(n.text)) {
        return Optional.of(new Finding(n.name, n.encoding));
      }
    }
    return Optional.empty();
  }

  /** The first secret found in raw bytes (a request body of any charset), if any. */
  public Optional<Finding> firstIn(byte[] bytes) {
    String view = new String(bytes, StandardCharsets.ISO_8859_1);
    for (Needle n : needles) {
      if (view.contains(n.binary)) {
        return Optional.of(new Finding(n.name, n.encoding));
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "Redactor[" + needles.size() + " patterns]";
  }
}
