package dev.warden.egress;

import dev.warden.vault.Redactor;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds secrets in outbound text: every vault value (clear, base64, hex, URL-encoded; see
 * {@link Redactor}) and well-known credential shapes, also after percent-decoding and inside
 * base64 runs.
 *
 * <p>Limits: token shapes are found in clear, percent-encoded and base64-encoded form, not hex;
 * compressed or encrypted payloads are opaque. The scan reports the kind of secret, never its value.
 */
public final class LeakScanner {
  /** Base64 runs at least this long are decoded and scanned for token shapes. */
  public static final int MIN_BASE64_RUN_CHARS = 24;
  /** At most this many base64 runs are decoded per scanned text (bounds the work on hostile bodies). */
  public static final int MAX_BASE64_RUNS_DECODED = 256;

  /** A credential format recognisable without knowing the value. */
  public enum TokenShape {
    PRIVATE_KEY("private key (PEM)", "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    AWS_ACCESS_KEY("AWS access key id", "(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Z0-9])"),
    GITHUB_TOKEN("GitHub token", "(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}"),
    GITHUB_FINE_GRAINED_TOKEN("GitHub fine-grained token", "(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,255}"),
    SLACK_TOKEN("Slack token", "(?<![A-Za-z0-9])xox[abposre]-[A-Za-z0-9-]{10,}"),
    ANTHROPIC_KEY("Anthropic API key", "(?<![A-Za-z0-9])sk-ant-[A-Za-z0-9_-]{20,}"),
    OPENAI_KEY("OpenAI API key", "(?<![A-Za-z0-9])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"),
    GOOGLE_API_KEY("Google API key", "(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}"),
    JWT("JSON Web Token", "(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}");

    private final String description;
    private final Pattern pattern;

    TokenShape(String description, String regex) {
      this.description = description;
      this.pattern = Pattern.compile(regex);
    }

    public String description() {
      return description;
    }

    boolean foundIn(String text) {
      return pattern.matcher(text).find();
    }
  }

  /** What was found: a description safe to show (kind and encoding, never the value). */
  public record Leak(String kind, String description) {
    public Leak {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(description, "description");
    }
  }

  private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/_-]{" + MIN_BASE64_RUN_CHARS + ",}={0,2}");

  private final Supplier<Redactor> secrets;

  /** @param secrets the current vault values, e.g. {@code vault::redactor} */
  public LeakScanner(Supplier<Redactor> secrets) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
  }

  /** Scans text (a URL, a header line). */
  public Optional<Leak> scan(String text) {
    Optional<Redactor.Finding> f = secrets.get().firstIn(text);
    if (f.isPresent()) {
      return Optional.of(new Leak("vault-secret", f.get().describe()));
    }
    return scanTokenShapes(text);
  }

  /** Scans raw bytes (a body in any charset). */
  public Optional<Leak> scan(byte[] bytes) {
    Optional<Redactor.Finding> f = secrets.get().firstIn(bytes);
    if (f.isPresent()) {
      return Optional.of(new Leak("vault-secret", f.get().describe()));
    }
    return scanTokenShapes(new String(bytes, StandardCharsets.ISO_8859_1));
  }

  /** Token shapes only, in clear, percent-decoded and base64-decoded forms. */
  public static Optional<Leak> scanTokenShapes(String text) {
    Optional<Leak> l = shapes(text, "");
    if (l.isPresent()) {
      return l;
    }
    if (text.indexOf('%') >= 0 || text.indexOf('+') >= 0) {
      l = shapes(lenientPercentDecode(text), "url-encoded ");
      if (l.isPresent()) {
        return l;
      }
    }
    Matcher m = BASE64_RUN.matcher(text);
    int runs = 0;
    while (m.find() && runs++ < MAX_BASE64_RUNS_DECODED) {
      String decoded = tryBase64(m.group());
      if (decoded != null) {
        l = shapes(decoded, "base64-encoded ");
        if (l.isPresent()) {
          return l;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Leak> shapes(String text, String encoding) {
    for (TokenShape s : TokenShape.values()) {
      if (s.foundIn(text)) {
        return Optional.of(new Leak(s.name().toLowerCase(java.util.Locale.ROOT), encoding + s.description()));
      }
    }
    return Optional.empty();
  }

  private static String lenientPercentDecode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      StringBuilder b = new StringBuilder(text.length());
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '%' && i + 2 < text.length()) {
          try {
            b.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
            i += 2;
            continue;
          } catch (NumberFormatException notHex) {
            // keep the '%' as is
          }
        }
        b.append(c == '+' ? ' ' : c);
      }
      return b.toString();
    }
  }

  private static String tryBase64(String run) {
    String s = run.replace('-', '+').replace('_', '/');
    int cut = s.indexOf('=');
    if (cut >= 0) {
      s = s.substring(0, cut);
    }
    if (s.length() % 4 == 1) {
      s = s.substring(0, s.length() - 1);
    }
    try {
      return new String(Base64.getDecoder().decode(pad(s)), StandardCharsets.ISO_8859_1);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String pad(String s) {
    return switch (s.length() % 4) {
      case 2 -> s + "==";
      case 3 -> s + "=";
      default -> s;
    };
  }
}
