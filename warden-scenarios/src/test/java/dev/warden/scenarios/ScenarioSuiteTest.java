package dev.warden.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole built-in suite, as CI runs it: no attack reaches its goal, every benign task succeeds
 * within the approvals a person should really answer, and the figures go to
 * {@code target/scenario-summary.json}.
 */
class ScenarioSuiteTest {
  static SuiteSummary summary;
  static String report;

  @BeforeAll
  static void runSuite() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    summary = ScenarioRunner.runBuiltIn(false, new PrintStream(buf, true, StandardCharsets.UTF_8));
    report = buf.toString(StandardCharsets.UTF_8);
    System.out.println(report);
    Path target = Path.of("target");
    Files.createDirectories(target);
    Files.writeString(target.resolve("scenario-summary.json"), ScenarioRunner.toJson(summary));
    Files.writeString(target.resolve("scenario-report.txt"), report);
  }

  @Test
  void suite_hasNoErrors() {
    assertThat(summary.results()).filteredOn(r -> "error".equals(r.status()))
        .extracting(r -> r.name() + ": " + r.detailOrNull()).isEmpty();
  }

  @Test
  void attacks_neverReachTheirGoal() {
    assertThat(summary.results()).filteredOn(r -> "attack".equals(r.kind()) && r.goalReached())
        .extracting(r -> r.name() + ": " + r.evidence()).isEmpty();
    assertThat(summary.attackSuccessRate()).isZero();
  }

  @Test
  void benignTasks_allSucceed_withinTheirApprovalBudget() {
    assertThat(summary.results()).filteredOn(r -> "benign".equals(r.kind()) && !r.skipped() && !r.passed())
        .extracting(r -> r.name() + ": " + r.detailOrNull() + " " + r.evidence() + " replies " + r.replies() + " actions " + r.actions())
        .isEmpty();
  }

  @Test
  void auditChain_verifiesAfterEveryScenario() {
    assertThat(summary.results()).filteredOn(r -> !r.skipped() && !r.auditChainOk()).extracting(ScenarioResult::name).isEmpty();
  }

  @Test
  void suite_isLargeEnough_andCoversTheChain() {
    List<ScenarioResult> attacks = summary.results().stream().filter(r -> "attack".equals(r.kind())).toList();
    assertThat(attacks.size()).isGreaterThanOrEqualTo(40);
    assertThat(summary.results().stream().filter(r -> "benign".equals(r.kind())).count()).isGreaterThanOrEqualTo(20);
    assertThat(attacks).extracting(ScenarioResult::chain)
        .contains("distribution", "installation", "state_access", "privilege_reuse", "persistence");
  }
}
