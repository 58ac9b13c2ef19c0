package dev.warden.policy;

import dev.warden.kernel.Action;
import dev.warden.kernel.Decision;
import dev.warden.kernel.Policy;
import dev.warden.kernel.PolicyRequest;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Dry-runs a {@link PolicyTestFile} against a {@link Policy}: decides every case, prints one line
 * per case and reports which cases' {@code expect} did not hold. Nothing is executed or recorded.
 *
 * <p>Output, one line per case, then a summary line:
 * <pre>
 * PASS tainted post to a new host: ask by ask-tainted-egress-body: session read untrusted … [sources: web:example.org]
 * FAIL owner reads outside: allow (expected deny) by allow-owner-operator: owner:owner may … [sources: none]
 * ---- no expectation: deny by deny-quarantined: Warden is quarantined … [sources: none]
 * 3 cases: 1 passed, 1 failed, 1 without expectation
 * </pre>
 */
public final class PolicyTester {
  private PolicyTester() {}

  /** The decision for one case and whether it met the case's {@code expect}. */
  public record CaseResult(PolicyTestFile.Case testCase, Decision decision, Status status) {}

  public enum Status {
    PASS,
    FAIL,
    /** The case has no {@code expect}. */
    UNCHECKED
  }

  /** A case whose decision differed from its {@code expect}. */
  public record Mismatch(String caseName, String expected, Decision actual) {}

  /** Counts and per-case results; {@link #ok()} when no case failed. */
  public record Result(int total, int passed, int failed, int unchecked, List<Mismatch> mismatches, List<CaseResult> results) {
    public Result {
      mismatches = List.copyOf(mismatches);
      results = List.copyOf(results);
    }

    public boolean ok() {
      return failed == 0;
    }
  }

  /**
   * Parses {@code file} and runs it.
   *
   * @param factsForActionOrNull computes the facts the kernel's normaliser would attach to an
   *     action (destination class, workspace confinement…); a case's own {@code facts} override
   *     them. With null, each case's facts are used alone.
   * @throws PolicyTestFileException when the file cannot be parsed; nothing is printed then
   */
  public static Result run(Path file, Policy policy, @Nullable Function<Action, Map<String, Object>> factsForActionOrNull,
      PrintStream out) throws PolicyTestFileException {
    return run(PolicyTestFile.parse(file), policy, factsForActionOrNull, out);
  }

  public static Result run(PolicyTestFile file, Policy policy, @Nullable Function<Action, Map<String, Object>> factsForActionOrNull,
      PrintStream out) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(out, "out");
    List<CaseResult> results = new ArrayList<>();
    List<Mismatch> mismatches = new ArrayList<>();
    int passed = 0;
    int failed = 0;
    int unchecked = 0;
    for (PolicyTestFile.Case c : file.cases()) {
      Map<String, Object> facts = new HashMap<>();
      if (factsForActionOrNull != null) {
        facts.putAll(factsForActionOrNull.apply(c.action()));
      }
      facts.putAll(c.facts());
      Decision d = policy.decide(new PolicyRequest(c.action(), c.principal(), c.label(), c.capabilities(), facts));
      Status status;
      if (c.expectOrNull() == null) {
        status = Status.UNCHECKED;
        unchecked++;
      } else if (c.expectOrNull().equals(d.verdict())) {
        status = Status.PASS;
        passed++;
      } else {
        status = Status.FAIL;
        failed++;
        mismatches.add(new Mismatch(c.name(), c.expectOrNull(), d));
      }
      results.add(new CaseResult(c, d, status));
      out.println(line(c, d, status));
    }
    out.println(file.cases().size() + " cases: " + passed + " passed, " + failed + " failed, " + unchecked
        + " without expectation");
    return new Result(file.cases().size(), passed, failed, unchecked, mismatches, results);
  }

  static String line(PolicyTestFile.Case c, Decision d, Status status) {
    String sources = d.sources().isEmpty() ? "none" : String.join(", ", d.sources());
    return switch (status) {
      case PASS -> "PASS " + c.name() + ": " + d.verdict();
      case FAIL -> "FAIL " + c.name() + ": " + d.verdict() + " (expected " + c.expectOrNull() + ")";
      case UNCHECKED -> "---- " + c.name() + ": " + d.verdict();
    } + " by " + d.rule() + ": " + d.reason() + " [sources: " + sources + "]";
  }
}
