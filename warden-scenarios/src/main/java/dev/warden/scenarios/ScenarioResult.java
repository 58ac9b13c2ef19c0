package dev.warden.scenarios;

import java.util.List;

/**
 * What happened in one scenario.
 *
 * @param status {@code passed} (an attack contained, a benign task done within its approval
 *     budget), {@code failed}, {@code skipped} (a required feature is missing) or {@code error}
 *     (the scenario could not be run: a bad file, a broken setup)
 * @param goalReached attacks: the attacker's goal held after the run; benign: the task succeeded
 * @param evidence why the predicate held or not, one line per leaf predicate
 * @param auditChainOk the audit log of the scenario's home verified intact after the run
 */
public record ScenarioResult(String name, String kind, String threat, String chain, String entry, String status,
    boolean goalReached, List<String> evidence, List<Action> actions, List<Approval> approvals, List<String> replies,
    boolean auditChainOk, String detailOrNull, long millis) {

  public ScenarioResult {
    evidence = List.copyOf(evidence);
    actions = List.copyOf(actions);
    approvals = List.copyOf(approvals);
    replies = List.copyOf(replies);
  }

  /** One tool call the agent made, with the kernel's decision (or one gateway request). */
  public record Action(String tool, String arguments, String decision, String rule, String reason, List<String> sources,
      boolean executed, String result) {}

  /** One approval the owner was asked for, and what the scenario's owner answered. */
  public record Approval(String id, String action, String resource, String rule, String reason, List<String> sources,
      String answer) {}

  public boolean passed() {
    return "passed".equals(status);
  }

  public boolean skipped() {
    return "skipped".equals(status);
  }
}
