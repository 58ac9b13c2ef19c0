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
        case "principal" -> b.append(input.principal().qualified());
        case "action" -> b.append(input.kind());
        case "sources" -> b.append(joinOr(decisionSources.isEmpty() ? untrustedSources : decisionSources, "an unnamed source"));
        default -> {
          Object v = input.context().get(name);
          if (v == null) {
            b.append("(n/a)");
          } else if (v instanceof Collection<?> c) {
            b.append(joinOr(c, "none"));
          } else {
            b.append(v);
          }
        }
      }
    }
    return b.toString();
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
