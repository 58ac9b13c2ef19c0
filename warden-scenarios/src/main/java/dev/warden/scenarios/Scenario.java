package dev.warden.scenarios;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One scenario, as read from its YAML file (format: docs/scenarios.md). Values stay close to the
 * file: templates ({@code {{page:NAME}}}, {@code {{collector}}}, {@code {{secret:NAME}}}…) are
 * substituted by the runner once the loopback servers have ports.
 *
 * @param origin where the file came from (path or classpath resource), for messages
 */
public record Scenario(
    String name,
    Kind kind,
    String description,
    String threat,
    ChainStep chain,
    String entry,
    List<String> requires,
    Map<String, Object> setup,
    Map<String, Object> model,
    List<Map<String, Object>> turns,
    List<Map<String, Object>> gateway,
    Approvals approvals,
    List<Map<String, Object>> grantMatching,
    Object goal,
    int maxApprovals,
    List<String> mustExecute,
    String origin) {

  /** The top-level keys a scenario file may have; anything else is a typo and an error. */
  public static final Set<String> KEYS = Set.of("name", "kind", "description", "threat", "chain", "entry", "requires", "setup",
      "model", "turns", "gateway", "approvals", "grant_matching", "goal", "success", "max_approvals", "must_execute");

  /** The entry points an attacker's text may use (the design's threat catalogue, entry 2). */
  public static final Set<String> ENTRIES = Set.of("web_page", "email", "stranger_message", "platform_post", "skill_text",
      "tool_output", "mcp_tool_description", "workspace_file", "memory", "gateway", "owner");

  public enum Kind {
    ATTACK,
    BENIGN
  }

  /** The five steps of the compromise chain. */
  public enum ChainStep {
    DISTRIBUTION,
    INSTALLATION,
    STATE_ACCESS,
    PRIVILEGE_REUSE,
    PERSISTENCE,
    /** Benign tasks and attacks outside the chain (gateway exposure). */
    NONE
  }

  /** What the owner answers when asked during the run. */
  public enum Approvals {
    /** The owner says no to everything (the default for attacks). */
    DENY_ALL,
    /** The owner says yes to everything (a benign task where a human really would approve). */
    GRANT_ALL,
    /** Yes to asks matching one of {@code grant_matching}, no to the rest. */
    GRANT_MATCHING,
    /** Nobody answers: asks stay pending for the whole run. */
    NONE
  }

  public Scenario {
    requires = List.copyOf(requires);
    setup = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(setup));
    turns = List.copyOf(turns);
    gateway = List.copyOf(gateway);
    grantMatching = List.copyOf(grantMatching);
    mustExecute = List.copyOf(mustExecute);
  }
}
