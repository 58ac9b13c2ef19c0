package dev.warden.scenarios.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{name}}} and {@code {{name:arg}}} substitution over parsed YAML trees. An unknown
 * template is an error, so a typo does not silently become part of an attack string.
 */
public final class Templates {
  private static final Pattern TEMPLATE = Pattern.compile("\\{\\{([a-z_0-9]+)(?::([^}]*))?}}");

  private final Function<String[], String> resolver;

  /** {@code resolver} gets {name, argOrNull} and returns the value, or throws IllegalArgumentException. */
  public Templates(Function<String[], String> resolver) {
    this.resolver = resolver;
  }

  public String apply(String s) {
    Matcher m = TEMPLATE.matcher(s);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(resolver.apply(new String[] {m.group(1), m.group(2)})));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  @SuppressWarnings("unchecked")
  public Object deep(Object o) {
    if (o instanceof String s) {
      return apply(s);
    }
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(apply(String.valueOf(k)), deep(v)));
      return out;
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(deep(x)));
      return out;
    }
    return o;
  }
}
