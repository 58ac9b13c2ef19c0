package dev.warden.agent;

import java.util.List;
import java.util.Map;

/**
 * What happened to one tool call in a turn: the decision, the rule and label sources behind it,
 * whether it ran. This is what `warden run --json` prints and what the web chat shows.
 */
public record ActionReport(String tool, Map<String, Object> arguments, String decision, String rule, String reason,
    List<String> sources, boolean executed, String approvalIdOrNull, String result) {
  public ActionReport {
    arguments = arguments == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(arguments));
    sources = List.copyOf(sources);
  }
}
