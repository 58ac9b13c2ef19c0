package dev.warden.vault;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A host a credential is bound to: an exact name ({@code api.github.com}) or a wildcard over
 * subdomains ({@code *.example.com}, which matches {@code a.example.com} and
 * {@code a.b.example.com} but not {@code example.com} itself). Matching is case-insensitive and
 * ignores one trailing dot. An IP literal may be bound exactly.
 */
public record HostPattern(String pattern) {
  private static final Pattern SYNTAX =
      Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*"
          + "|\\[?[0-9a-f:.]+\\]?");

  public HostPattern {
    Objects.requireNonNull(pattern, "pattern");
    pattern = normalise(pattern);
    if (!SYNTAX.matcher(pattern).matches()) {
      throw new IllegalArgumentException(
          "not a host pattern: '" + pattern + "'; use a host name like api.github.com, a wildcard like"
              + " *.example.com, or an IP address");
    }
    if (pattern.startsWith("*.") && !pattern.substring(2).contains(".")) {
      throw new IllegalArgumentException(
          "wildcard '" + pattern + "' would match a whole top-level domain; bind to *.example.com or narrower");
    }
  }

  public static HostPattern of(String pattern) {
    return new HostPattern(pattern);
  }

  public boolean matches(String host) {
    String h = normalise(host);
    if (pattern.startsWith("*.")) {
      String suffix = pattern.substring(1);
      return h.endsWith(suffix) && h.length() > suffix.length();
    }
    return h.equals(pattern);
  }

  private static String normalise(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
