package dev.warden.registry.skill.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Lenient readers for YAML values written by many hands (a string where a list was meant, etc.). */
public final class Yaml {
  private Yaml() {}

  public static Map<String, Object> map(Object o) {
    if (!(o instanceof Map<?, ?> m)) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  /** A list of strings from a list, a single string, or a comma-separated string. */
  public static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      for (Object x : l) {
        if (x != null && !String.valueOf(x).isBlank()) {
          out.add(String.valueOf(x).strip());
        }
      }
    } else if (o != null) {
      for (String s : String.valueOf(o).split(",")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
    }
    return out;
  }

  public static String stringOrNull(Object o) {
    return o == null ? null : String.valueOf(o);
  }

  public static String string(Object o) {
    return o == null ? "" : String.valueOf(o);
  }

  public static List<Object> list(Object o) {
    return o instanceof List<?> l ? new ArrayList<>(l) : List.of();
  }
}
