package dev.warden.registry.scan.internal;

import dev.warden.registry.scan.Finding;
import dev.warden.registry.scan.Rule;
import dev.warden.registry.scan.Severity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Collects findings for one skill, dropping duplicates and stopping at a cap. */
public final class Findings {
  /** Most findings kept per skill; past this the report says it was cut. */
  public static final int MAX_FINDINGS_PER_SKILL = 200;
  /** Longest quotation of untrusted text in a message, in characters. */
  public static final int MAX_QUOTE_CHARS = 120;

  private final List<Finding> list = new ArrayList<>();
  private final Set<String> seen = new HashSet<>();
  private boolean truncated;

  public void add(Rule rule, Severity severity, String file, int line, String message) {
    if (list.size() >= MAX_FINDINGS_PER_SKILL) {
      truncated = true;
      return;
    }
    if (seen.add(rule.code() + '|' + file + '|' + line)) {
      list.add(Finding.of(rule, severity, file, line, message));
    }
  }

  public void add(Rule rule, String file, int line, String message) {
    add(rule, rule.severity(), file, line, message);
  }

  public boolean has(Rule rule, String file) {
    return list.stream().anyMatch(f -> f.code().equals(rule.code()) && f.file().equals(file));
  }

  public List<Finding> toList() {
    List<Finding> out = new ArrayList<>(list);
    if (truncated) {
      out.add(Finding.of(Rule.WS002, "", 0, "more than " + MAX_FINDINGS_PER_SKILL
          + " findings (MAX_FINDINGS_PER_SKILL); the rest were dropped"));
    }
    return out;
  }

  /** Quotes untrusted text for a message: one line, trimmed, cut. */
  public static String quote(String s) {
    String t = (s.length() > 4 * MAX_QUOTE_CHARS ? s.substring(0, 4 * MAX_QUOTE_CHARS) : s).strip().replaceAll("\\s+", " ");
    StringBuilder b = new StringBuilder();
    t.codePoints().forEach(cp -> {
      if (Character.isISOControl(cp) || Unicode.isInvisible(cp)) {
        b.append(String.format("\\u{%X}", cp));
      } else {
        b.appendCodePoint(cp);
      }
    });
    t = b.toString();
    return "'" + (t.length() > MAX_QUOTE_CHARS ? t.substring(0, MAX_QUOTE_CHARS - 3) + "…" : t) + "'";
  }
}
