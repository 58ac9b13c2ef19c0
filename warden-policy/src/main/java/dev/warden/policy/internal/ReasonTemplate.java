package dev.warden.policy.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A policy's {@code @reason} sentence with {@code {placeholder}}s filled from the request.
 *
 * <p>Placeholders: any context attribute name ({@code {host}}, {@code {path}}, {@code {recipient}},
 * {@code {method}}…), {@code {principal}} ({@code kind:id}), {@code {action}} (the action kind) and
 * {@code {sources}} (the label sources the decision names; when it names none, the label's
 * untrusted sources). An attribute the action kind does not have renders as {@code (n/a)}. Unknown
 * names are rejected when the policy is loaded, so a typo cannot reach a person as raw braces.
 */
public final class ReasonTemplate {
  /**
   * Longest value substituted for one placeholder; longer values (a URL with a long query) are cut
   * with "…". Reasons are shown to the owner when asking, so they stay one readable line.
   */
  public static final int MAX_PLACEHOLDER_VALUE_CHARS = 200;

  /** Placeholders that are not context attributes. */
  public static final Set<String> SPECIAL_PLACEHOLDERS = Set.of("principal", "action", "sources");

  private final String template;
  private final List<String> parts;

  private ReasonTemplate(String template, List<String> parts) {
    this.template = template;
    this.parts = parts;
  }

  public String template() {
    return template;
  }

  /**
   * Parses {@code template}. Throws IllegalArgumentException naming the bad placeholder; the
   * loader turns it into an error with the policy's file and line.
   */
  public static ReasonTemplate parse(String template) {
    List<String> parts = new ArrayList<>();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      if (open < 0) {
        parts.add(template.substring(i));
        break;
      }
      int close = template.indexOf('}', open);
      if (close < 0) {
        throw new IllegalArgumentException("unclosed '{' in reason: " + template);
      }
      parts.add(template.substring(i, open));
      String name = template.substring(open + 1, close);
      if (!SPECIAL_PLACEHOLDERS.contains(name) && !CedarSchema.ALL_FIELD_NAMES.contains(name)) {
        throw new IllegalArgumentException("unknown placeholder {" + name + "} in reason; known: "
            + new TreeSet<>(union(SPECIAL_PLACEHOLDERS, CedarSchema.ALL_FIELD_NAMES)));
      }
      parts.add("{" + name + "}");
      i = close + 1;
    }
    return new ReasonTemplate(template, List.copyOf(parts));
  }

  public String render(CedarInput input, Collection<String> decisionSources, Collection<String> untrustedSources) {
    StringBuilder b = new StringBuilder(template.length() + 32);
    for (String part : parts) {
      if (part.length() < 2 || part.charAt(0) != '{' || part.charAt(part.length() - 1) != '}') {
        b.append(part);
        continue;
      }
      String name = part.substring(1, part.length() - 1);
      switch (name) {
        case "principal" -> appendValue(b, input.principal().qualified());
        case "action" -> appendValue(b, input.kind());
        case "sources" -> appendValue(b, joinOr(decisionSources.isEmpty() ? untrustedSources : decisionSources, "an unnamed source"));
        default -> {
          Object v = input.context().get(name);
          if (v == null) {
            b.append("(n/a)");
          } else if (v instanceof Collection<?> c) {
            appendValue(b, joinOr(c, "none"));
          } else {
            appendValue(b, v.toString());
          }
        }
      }
    }
    return b.toString();
  }

  /**
   * Values come from the request (a path, a URL, a recipient the model chose), so they are made
   * inert before a person reads them: control characters (a newline could forge another line in
   * `warden policy test` output or the audit tail) become U+FFFD, and long values are cut.
   */
  private static void appendValue(StringBuilder b, String value) {
    int n = Math.min(value.length(), MAX_PLACEHOLDER_VALUE_CHARS);
    for (int i = 0; i < n; i++) {
      char ch = value.charAt(i);
      b.append(Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029' ? '\uFFFD' : ch);
    }
    if (value.length() > MAX_PLACEHOLDER_VALUE_CHARS) {
      b.append("…");
    }
  }

  private static String joinOr(Collection<?> values, String empty) {
    if (values.isEmpty()) {
      return empty;
    }
    StringBuilder b = new StringBuilder();
    for (Object v : values) {
      if (!b.isEmpty()) {
        b.append(", ");
      }
      b.append(v);
    }
    return b.toString();
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> s = new TreeSet<>(a);
    s.addAll(b);
    return s;
  }

  /** The raw template, for diagnostics. */
  @Override
  public String toString() {
    return template;
  }

}
