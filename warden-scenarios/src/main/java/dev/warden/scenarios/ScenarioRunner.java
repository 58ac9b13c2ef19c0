package dev.warden.scenarios;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.warden.scenarios.internal.ScenarioExecution;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs scenario files (docs/scenarios.md) and reports, per scenario, whether the attacker's goal
 * (or the benign task) was reached, every action with its decision, and the approvals asked; then
 * the suite's figures: attack success rate, task success rate, approval prompts per benign task.
 *
 * <p>Each scenario runs against its own fresh temporary WARDEN_HOME with the real kernel, policy,
 * stores and executors; only the model (scripted) and the outside world (loopback servers) are
 * stand-ins. A scenario that {@code requires:} a feature this build lacks is reported as skipped,
 * with the reason.
 */
public final class ScenarioRunner {

  /** Characters of an action's arguments shown per line of the readable report. */
  public static final int ACTION_ARGUMENT_PREVIEW_CHARS = 90;

  private final Features features;

  public ScenarioRunner(Features features) {
    this.features = features;
  }

  /**
   * Runs every scenario under {@code dir} (the CLI's {@code warden scenarios run DIR [--json]}).
   * Prints a readable report, or with {@code json} one JSON object (the {@link SuiteSummary}).
   */
  public static SuiteSummary run(Path dir, boolean json, PrintStream out) throws ScenarioException {
    return new ScenarioRunner(Features.detect()).runAll(ScenarioLoader.loadDirectory(dir), json, out);
  }

  /** Runs the built-in suite shipped in this jar. */
  public static SuiteSummary runBuiltIn(boolean json, PrintStream out) throws ScenarioException {
    return new ScenarioRunner(Features.detect()).runAll(ScenarioLoader.loadBuiltIn(), json, out);
  }

  public SuiteSummary runAll(List<Scenario> scenarios, boolean json, PrintStream out) {
    long t0 = System.nanoTime();
    List<ScenarioResult> results = new ArrayList<>();
    if (!json) {
      out.println("Warden scenario suite: " + scenarios.size() + " scenario(s)");
      out.println();
    }
    for (Scenario s : scenarios) {
      ScenarioResult r = runOne(s);
      results.add(r);
      if (!json) {
        print(r, out);
      }
    }
    SuiteSummary summary = SuiteSummary.of(results, (System.nanoTime() - t0) / 1_000_000);
    if (json) {
      out.println(toJson(summary));
    } else {
      printSummary(summary, out);
    }
    out.flush();
    return summary;
  }

  public ScenarioResult runOne(Scenario s) {
    for (String f : s.requires()) {
      if (!features.has(f)) {
        return new ScenarioResult(s.name(), s.kind().name().toLowerCase(Locale.ROOT), s.threat(),
            s.chain().name().toLowerCase(Locale.ROOT), s.entry(), "skipped", false, List.of(), List.of(), List.of(), List.of(),
            true, "feature " + f + " not available: " + features.whyMissingOrNull(f), 0);
      }
    }
    return new ScenarioExecution(s).run();
  }

  /** The summary as one JSON object (what {@code --json} prints and CI stores). */
  public static String toJson(SuiteSummary summary) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write the summary as JSON: " + e, e);
    }
  }

  private static void print(ScenarioResult r, PrintStream out) {
    boolean attack = "attack".equals(r.kind());
    String mark = switch (r.status()) {
      case "passed" -> "✓";
      case "skipped" -> "-";
      default -> "✗";
    };
    String verdict = switch (r.status()) {
      case "skipped" -> "skipped: " + r.detailOrNull();
      case "error" -> "error: " + r.detailOrNull();
      default -> attack ? (r.goalReached() ? "ATTACKER GOAL REACHED" : "contained: attacker goal not reached")
          : (r.goalReached() ? "task succeeded" : "TASK FAILED") + (r.detailOrNull() == null ? "" : " (" + r.detailOrNull() + ")");
    };
    out.printf("%s [%s] %s — %s%n", mark, r.kind(), r.name(), verdict);
    if (r.skipped()) {
      return;
    }
    out.printf("    threat %s · chain %s · entry %s · %d ms%n", nz(r.threat()), r.chain(), nz(r.entry()), r.millis());
    for (ScenarioResult.Action a : r.actions()) {
      String args = a.arguments().length() > ACTION_ARGUMENT_PREVIEW_CHARS
          ? a.arguments().substring(0, ACTION_ARGUMENT_PREVIEW_CHARS) + "…" : a.arguments();
      out.printf("    %-14s %-5s %s%s%s  %s%n", a.tool(), a.decision(), a.executed() ? "ran " : "    ", "[" + a.rule() + "]",
          a.sources().isEmpty() ? "" : " sources " + a.sources(), args);
      if (a.decision().equals("allow") && !a.executed() && !a.result().isEmpty()) {
        out.println("                   ↳ " + a.result().replace('\n', ' '));
      }
    }
    for (ScenarioResult.Approval a : r.approvals()) {
      out.printf("    asked: %s %s — %s%n", a.action(), a.answer(), a.reason());
    }
    if (!r.passed()) {
      r.evidence().forEach(e -> out.println("    " + e));
    }
    if (!r.auditChainOk() && !"error".equals(r.status())) {
      out.println("    ✗ audit chain does not verify");
    }
  }

  private static String nz(String s) {
    return s == null ? "-" : s;
  }

  private static void printSummary(SuiteSummary s, PrintStream out) {
    out.println();
    out.println("Summary");
    out.printf("  attacks: %d run, %d reached their goal — attack success rate %.1f%%  (%d skipped)%n", s.attacksRun(),
        s.attacksReached(), 100 * s.attackSuccessRate(), s.attacksSkipped());
    out.printf("  benign:  %d run, %d succeeded — task success rate %.1f%%  (%d skipped)%n", s.benignRun(), s.benignSucceeded(),
        100 * s.taskSuccessRate(), s.benignSkipped());
    out.printf("  approval prompts: %d over the benign tasks — %.2f per task%n", s.benignApprovals(), s.approvalsPerBenignTask());
    if (s.errors() > 0) {
      out.printf("  errors: %d scenario(s) could not run%n", s.errors());
    }
    out.printf("  %s in %.1f s%n", s.ok() ? "✓ all scenarios passed" : "✗ some scenarios failed", s.millis() / 1000.0);
  }
}
