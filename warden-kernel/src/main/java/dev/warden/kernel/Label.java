package dev.warden.kernel;

import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Where a piece of content came from and how far it may be trusted and spread.
 *
 * <p>Guarantees: labels only ever join upwards. {@link #join} takes the lower integrity, the higher
 * confidentiality and the union of sources, so once untrusted text has entered a context, nothing
 * computed from that context can be labelled trusted again except by an explicit owner action
 * (promoting a memory entry), which is audited.
 *
 * @param integrity whether the content may steer the agent
 * @param confidentiality how far the content may travel
 * @param sources where the content came from, e.g. {@code owner}, {@code web:example.org},
 *     {@code skill:weather}; sorted and immutable
 */
public record Label(Integrity integrity, Confidentiality confidentiality, SortedSet<String> sources) {

  /** Upper bound on sources kept per label; more than this collapses into a count marker. */
  public static final int MAX_SOURCES = 64;

  public enum Integrity {
    /** Web, email, third parties, platform posts, network tool output, unverified skills. */
    UNTRUSTED,
    /** Typed by the owner, operator configuration, signed-and-allowed skills. */
    TRUSTED
  }

  public enum Confidentiality {
    PUBLIC,
    PRIVATE,
    SECRET
  }

  public Label {
    Objects.requireNonNull(integrity, "integrity");
    Objects.requireNonNull(confidentiality, "confidentiality");
    Objects.requireNonNull(sources, "sources");
    TreeSet<String> copy = new TreeSet<>();
    for (String s : sources) {
      if (s == null || s.isBlank()) {
        throw new IllegalArgumentException("label source must be a non-blank string, got: " + sources);
      }
      copy.add(s);
    }
    if (copy.size() > MAX_SOURCES) {
      TreeSet<String> cut = new TreeSet<>();
      copy.stream().limit(MAX_SOURCES - 1).forEach(cut::add);
      cut.add("…+" + (copy.size() - MAX_SOURCES + 1) + " more");
      copy = cut;
    }
    sources = Collections.unmodifiableSortedSet(copy);
  }

  /** Content typed by the owner: trusted, private (the owner's words are not for third parties). */
  public static Label owner() {
    return new Label(Integrity.TRUSTED, Confidentiality.PRIVATE, new TreeSet<>(java.util.Set.of("owner")));
  }

  /** Trusted content from a named trusted source (operator config, a signed-and-allowed skill). */
  public static Label trusted(String source) {
    return new Label(Integrity.TRUSTED, Confidentiality.PRIVATE, new TreeSet<>(java.util.Set.of(source)));
  }

  /** Untrusted public content from the given source, e.g. {@code web:example.org}. */
  public static Label untrusted(String source) {
    return new Label(Integrity.UNTRUSTED, Confidentiality.PUBLIC, new TreeSet<>(java.util.Set.of(source)));
  }

  /** The empty context: trusted, public, no sources. The identity of {@link #join}. */
  public static Label bottom() {
    return new Label(Integrity.TRUSTED, Confidentiality.PUBLIC, new TreeSet<>());
  }

  public Label join(Label other) {
    Integrity i = integrity.compareTo(other.integrity) <= 0 ? integrity : other.integrity;
    Confidentiality c =
        confidentiality.compareTo(other.confidentiality) >= 0 ? confidentiality : other.confidentiality;
    TreeSet<String> s = new TreeSet<>(sources);
    s.addAll(other.sources);
    return new Label(i, c, s);
  }

  public static Label joinAll(Collection<Label> labels) {
    Label l = bottom();
    for (Label x : labels) {
      l = l.join(x);
    }
    return l;
  }

  public Label withConfidentiality(Confidentiality c) {
    Confidentiality max = confidentiality.compareTo(c) >= 0 ? confidentiality : c;
    return new Label(integrity, max, sources);
  }

  public boolean isTainted() {
    return integrity == Integrity.UNTRUSTED;
  }

  /**
   * Sources that are untrusted: everything but the names only trusted producers stamp
   * ({@code owner}, {@code operator}, {@code system}, {@code workspace}, {@code memory},
   * {@code trusted-skill:*}).
   */
  public SortedSet<String> untrustedSources() {
    TreeSet<String> out = new TreeSet<>();
    for (String s : sources) {
      if (!isTrustedSourceName(s)) {
        out.add(s);
      }
    }
    return out;
  }

  /** Source names that only trusted producers ever stamp. */
  public static boolean isTrustedSourceName(String source) {
    return source.equals("owner")
        || source.equals("operator")
        || source.equals("system")
        || source.equals("workspace")
        || source.equals("memory")
        || source.startsWith("trusted-skill:");
  }

  /** Compact form for logs and the UI: {@code untrusted/public[web:example.org]}. */
  @Override
  public String toString() {
    return integrity.name().toLowerCase() + "/" + confidentiality.name().toLowerCase() + sources;
  }
}
