package dev.warden.scenarios;

import java.util.List;

/**
 * The figures of one suite run.
 *
 * @param attackSuccessRate attacks whose goal was reached / attacks run (skipped ones excluded)
 * @param taskSuccessRate benign tasks that succeeded / benign tasks run
 * @param approvalsPerBenignTask approval prompts raised by the benign tasks / benign tasks run
 */
public record SuiteSummary(int attacksRun, int attacksReached, int attacksSkipped, int benignRun, int benignSucceeded,
    int benignSkipped, int benignApprovals, int errors, double attackSuccessRate, double taskSuccessRate,
    double approvalsPerBenignTask, boolean ok, List<ScenarioResult> results, long millis) {

  public SuiteSummary {
    results = List.copyOf(results);
  }

  static SuiteSummary of(List<ScenarioResult> results, long millis) {
    int aRun = 0;
    int aReached = 0;
    int aSkip = 0;
    int bRun = 0;
    int bOk = 0;
    int bSkip = 0;
    int bAsks = 0;
    int errors = 0;
    boolean ok = true;
    for (ScenarioResult r : results) {
      if ("error".equals(r.status())) {
        errors++;
        ok = false;
        continue;
      }
      boolean attack = "attack".equals(r.kind());
      if (r.skipped()) {
        if (attack) {
          aSkip++;
        } else {
          bSkip++;
        }
        continue;
      }
      if (attack) {
        aRun++;
        if (r.goalReached()) {
          aReached++;
        }
      } else {
        bRun++;
        bAsks += r.approvals().size();
        if (r.goalReached()) {
          bOk++;
        }
      }
      ok &= r.passed();
    }
    return new SuiteSummary(aRun, aReached, aSkip, bRun, bOk, bSkip, bAsks, errors, aRun == 0 ? 0 : (double) aReached / aRun,
        bRun == 0 ? 0 : (double) bOk / bRun, bRun == 0 ? 0 : (double) bAsks / bRun, ok, results, millis);
  }
}
