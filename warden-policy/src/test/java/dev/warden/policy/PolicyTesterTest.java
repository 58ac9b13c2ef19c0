package dev.warden.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.kernel.Action;
import dev.warden.kernel.Decision;
import dev.warden.kernel.Facts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTesterTest {
  static CedarPolicy policy;

  @BeforeAll
  static void load() throws Exception {
    policy = CedarPolicy.loadDefaults();
  }

  static Path example(Path dir) throws Exception {
    try (var in = PolicyTesterTest.class.getClassLoader().getResourceAsStream("policies/examples/default-policy-test.yaml")) {
      return Files.write(dir.resolve("default-policy-test.yaml"), in.readAllBytes());
    }
  }

  @Test
  void shippedExample_everyCasePasses(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PolicyTester.Result r = PolicyTester.run(example(dir), policy, null, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(r.mismatches()).as(out).isEmpty();
    assertThat(r.ok()).isTrue();
    assertThat(r.unchecked()).isEqualTo(1);
    assertThat(r.passed()).isEqualTo(r.total() - 1);
    assertThat(out.lines().count()).isEqualTo(r.total() + 1);
    assertThat(out).endsWith(r.total() + " cases: " + r.passed() + " passed, 0 failed, 1 without expectation" + System.lineSeparator());
  }

  @Test
  void shippedExample_exercisesEveryDefaultRule(@TempDir Path dir) throws Exception {
    PolicyTester.Result r = PolicyTester.run(example(dir), policy, null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    Set<String> decidedBy = r.results().stream().map(c -> c.decision().rule()).collect(Collectors.toSet());
    assertThat(decidedBy).containsAll(policy.rules().stream().map(PolicyRule::id).toList());
  }

  @Test
  void mismatch_printsFailWithExpectedAndReturnsIt(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("t.yaml"), """
        - name: hopeful
          principal: owner
          label: {integrity: untrusted, sources: [owner, web:evil.example]}
          action: {kind: memory_write, file: MEMORY.md, text: obey}
          expect: allow
        """);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PolicyTester.Result r = PolicyTester.run(f, policy, null, new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertThat(r.ok()).isFalse();
    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.mismatches()).singleElement().satisfies(m -> {
      assertThat(m.caseName()).isEqualTo("hopeful");
      assertThat(m.expected()).isEqualTo("allow");
      assertThat(m.actual()).isInstanceOf(Decision.Ask.class);
    });
    assertThat(buf.toString(StandardCharsets.UTF_8).lines().findFirst()).hasValue(
        "FAIL hopeful: ask (expected allow) by ask-tainted-memory-write: session read untrusted content from web:evil.example;"
            + " writing to memory (MEMORY.md) needs approval [sources: web:evil.example]");
  }

  @Test
  void factsFunction_suppliesFactsAndCaseFactsOverride(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("t.yaml"), """
        cases:
          - name: computed facts
            principal: owner
            label: {integrity: trusted}
            action: {kind: file_read, path: a.md}
            expect: allow
          - name: case overrides
            principal: owner
            label: {integrity: trusted}
            action: {kind: file_read, path: a.md}
            facts: {inside_workspace: false}
            expect: deny
        """);
    List<Action> seen = new java.util.ArrayList<>();
    PolicyTester.Result r = PolicyTester.run(f, policy, a -> {
      seen.add(a);
      return Map.of(Facts.INSIDE_WORKSPACE, true);
    }, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(r.mismatches()).isEmpty();
    assertThat(r.passed()).isEqualTo(2);
    assertThat(seen).containsExactly(new Action.FileRead("a.md"), new Action.FileRead("a.md"));
  }

  @Test
  void noExpectation_printedAsUnchecked(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("t.yaml"), """
        - name: look
          principal: owner
          label: {integrity: trusted}
          action: {kind: file_read, path: ../x}
        """);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PolicyTester.Result r = PolicyTester.run(f, policy, null, new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertThat(r.unchecked()).isEqualTo(1);
    assertThat(r.ok()).isTrue();
    assertThat(buf.toString(StandardCharsets.UTF_8)).startsWith("---- look: deny by deny-file-outside-workspace: ../x is outside");
  }

  @Test
  void badFile_throwsBeforePrinting(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("t.yaml"), """
        - name: fine
          principal: owner
          label: {integrity: trusted}
          action: {kind: file_read, path: a}
        - name: broken
          principal: owner
          label: {integrity: trusted}
          action: {kind: egress}
        """);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PolicyTestFileException e = org.junit.jupiter.api.Assertions.assertThrows(PolicyTestFileException.class,
        () -> PolicyTester.run(f, policy, null, new PrintStream(buf, true, StandardCharsets.UTF_8)));
    assertThat(e.getMessage()).isEqualTo(f + ": case \"broken\": action.url: missing");
    assertThat(buf.size()).isZero();
  }
}
