package dev.warden.kernel;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical JSON for hashing and signing: object keys sorted by UTF-16 code units (as RFC 8785
 * does), no whitespace, integers without exponent, strings escaped minimally. Written here rather
 * than taken from Jackson because the kernel depends on nothing but the JDK and the output must
 * never change with a library upgrade: a changed byte would break every audit chain ever written.
 *
 * <p>Supported values: {@code null}, {@link Boolean}, integral {@link Number}s, {@link BigDecimal},
 * finite doubles, {@link CharSequence}, {@link Map} with string keys, {@link Collection} and enums
 * (written as their lower-case name). Anything else is a bug in the caller.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  public static String write(Object value) {
    StringBuilder sb = new StringBuilder(256);
    write(sb, value);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v) {
    switch (v) {
      case null -> sb.append("null");
      case Boolean b -> sb.append(b ? "true" : "false");
      case Integer i -> sb.append(i.longValue());
      case Long l -> sb.append(l.longValue());
      case Short s -> sb.append(s.longValue());
      case Byte b -> sb.append(b.longValue());
      case BigInteger bi -> sb.append(bi.toString());
      case BigDecimal bd -> sb.append(bd.stripTrailingZeros().toPlainString());
      case Double d -> writeDouble(sb, d);
      case Float f -> writeDouble(sb, f.doubleValue());
      case CharSequence cs -> writeString(sb, cs.toString());
      case Enum<?> e -> writeString(sb, e.name().toLowerCase(java.util.Locale.ROOT));
      case Map<?, ?> m -> {
        TreeMap<String, Object> sorted = new TreeMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!(e.getKey() instanceof String k)) {
            throw new WardenBugException("canonical JSON object keys must be strings, got " + e.getKey());
          }
          sorted.put(k, e.getValue());
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : sorted.entrySet()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          writeString(sb, e.getKey());
          sb.append(':');
          write(sb, e.getValue());
        }
        sb.append('}');
      }
      case Collection<?> c -> {
        sb.append('[');
        boolean first = true;
        for (Object o : c) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          write(sb, o);
        }
        sb.append(']');
      }
      default -> throw new WardenBugException("canonical JSON cannot encode " + v.getClass().getName());
    }
  }

  private static void writeDouble(StringBuilder sb, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new WardenBugException("canonical JSON cannot encode " + d);
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      sb.append((long) d);
    } else {
      sb.append(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
    }
  }

  static void writeString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
