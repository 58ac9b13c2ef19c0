package dev.warden.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.warden.kernel.Action;
import dev.warden.kernel.GrantScope;
import dev.warden.kernel.Label;
import dev.warden.kernel.Principal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyTestFileTest {

  static PolicyTestFile.Case one(String action) throws Exception {
    return PolicyTestFile.parse("""
        - name: c
          principal: owner
          label: {integrity: trusted}
          action: %s
        """.formatted(action), "t.yaml").cases().getFirst();
  }

  static PolicyTestFileException bad(String yaml) {
    return assertThrows(PolicyTestFileException.class, () -> PolicyTestFile.parse(yaml, "t.yaml"));
  }

  @Test
  void fullCase_parsed() throws Exception {
    PolicyTestFile f = PolicyTestFile.parse("""
        cases:
          - name: tainted post
            principal: contact:alice
            label: {integrity: untrusted, confidentiality: public, sources: [web:example.org]}
            capabilities: [network]
            action: {kind: egress, method: post, url: "https://x.example/a", headers: {X-A: 1}, body: hi}
            facts: {destination: public, url_in_session: false, count: 3}
            expect: ask
        """, "t.yaml");
    PolicyTestFile.Case c = f.cases().getFirst();
    assertThat(c.name()).isEqualTo("tainted post");
    assertThat(c.principal()).isEqualTo(new Principal(Principal.Kind.CONTACT, "alice"));
    assertThat(c.label()).isEqualTo(Label.untrusted("web:example.org"));
    assertThat(c.capabilities()).containsExactly("network");
    assertThat(c.action()).isEqualTo(new Action.Egress("POST", URI.create("https://x.example/a"), Map.of("X-A", "1"), "hi", "http_request"));
    assertThat(c.facts()).containsEntry("destination", "public").containsEntry("url_in_session", false).containsEntry("count", 3L);
    assertThat(c.expectOrNull()).isEqualTo("ask");
  }

  @Test
  void everyKind_parsed() throws Exception {
    assertThat(one("{kind: exec, argv: [ls, -l]}").action()).isEqualTo(new Action.Exec(List.of("ls", "-l"), ".", false));
    assertThat(one("{kind: file_list, path: .}").action()).isEqualTo(new Action.FileList("."));
    assertThat(one("{kind: file_write, path: a, content: b}").action()).isEqualTo(new Action.FileWrite("a", "b"));
    assertThat(one("{kind: memory_read, query: tea}").action()).isEqualTo(new Action.MemoryRead("tea"));
    assertThat(one("{kind: memory_write, file: MEMORY.md, text: t}").action()).isEqualTo(new Action.MemoryWrite("MEMORY.md", "t"));
    assertThat(one("{kind: message_send, channel: email, recipient: bob, text: hi}").action())
        .isEqualTo(new Action.MessageSend("email", "bob", "hi"));
    assertThat(one("{kind: skill_install, name: w, source: s, version: 1.2}").action())
        .isEqualTo(new Action.SkillInstall("install", "w", "s", "1.2"));
    assertThat(one("{kind: skill_run, skill: w, script: f.sh, args: [a]}").action()).isEqualTo(new Action.SkillRun("w", "f.sh", List.of("a")));
    assertThat(one("{kind: tool_call, provider: p, tool: t, arguments: {a: 1}}").action())
        .isEqualTo(new Action.ToolCall("p", "t", Map.of("a", 1)));
    assertThat(one("{kind: cron_create, name: n, schedule: '* * * * *', prompt: p}").action())
        .isEqualTo(new Action.CronCreate("n", "* * * * *", "p"));
    assertThat(one("{kind: cron_delete, name: n}").action()).isEqualTo(new Action.CronDelete("n"));
    assertThat(one("{kind: config_change, key: k, value: v}").action()).isEqualTo(new Action.ConfigChange("k", "v"));
    assertThat(one("{kind: credential_use, credential: c, host: h, scope: repo}").action())
        .isEqualTo(new Action.CredentialUse("c", "h", "repo"));
    assertThat(one("{kind: approval_answer, approval_id: a, scope: for_duration, duration_minutes: 30}").action())
        .isEqualTo(new Action.ApprovalAnswer("a", true, GrantScope.FOR_DURATION, Duration.ofMinutes(30)));
  }

  @Test
  void principalForms_parsed() throws Exception {
    String yaml = """
        - {name: a, principal: operator, label: {integrity: trusted}, action: {kind: file_read, path: x}}
        - {name: b, principal: system, label: {integrity: trusted}, action: {kind: file_read, path: x}}
        - {name: c, principal: {kind: cron, id: daily}, label: {integrity: trusted}, action: {kind: file_read, path: x}}
        - {name: d, principal: "stranger:telegram:42", label: {integrity: trusted}, action: {kind: file_read, path: x}}
        """;
    assertThat(PolicyTestFile.parse(yaml, "t.yaml").cases()).extracting(PolicyTestFile.Case::principal).containsExactly(
        Principal.operator(), Principal.system(), new Principal(Principal.Kind.CRON, "daily"),
        new Principal(Principal.Kind.STRANGER, "telegram:42"));
  }

  @Test
  void unknownKind_namesCaseAndField() {
    PolicyTestFileException e = bad("- {name: x, principal: owner, label: {integrity: trusted}, action: {kind: teleport}}");
    assertThat(e.getMessage()).startsWith("t.yaml: case \"x\": action.kind: unknown action kind \"teleport\"; known: [exec,");
    assertThat(e.caseNameOrNull()).isEqualTo("x");
    assertThat(e.fieldOrNull()).isEqualTo("action.kind");
  }

  @Test
  void missingRequiredField_namesIt() {
    assertThat(bad("- {name: x, principal: owner, label: {integrity: trusted}, action: {kind: message_send, channel: email}}").getMessage())
        .isEqualTo("t.yaml: case \"x\": action.recipient: missing");
    assertThat(bad("- {name: x, label: {integrity: trusted}, action: {kind: file_read, path: a}}").fieldOrNull()).isEqualTo("principal");
    assertThat(bad("- {name: x, principal: owner, action: {kind: file_read, path: a}}").fieldOrNull()).isEqualTo("label");
    assertThat(bad("- {name: x, principal: owner, label: {}, action: {kind: file_read, path: a}}").fieldOrNull()).isEqualTo("label.integrity");
    assertThat(bad("- {name: x, principal: owner, label: {integrity: trusted}}").fieldOrNull()).isEqualTo("action");
    assertThat(bad("- {principal: owner, label: {integrity: trusted}, action: {kind: file_read, path: a}}").getMessage())
        .isEqualTo("t.yaml: case \"#1\": name: missing");
  }

  @Test
  void unknownField_rejected() {
    PolicyTestFileException e = bad("- {name: x, principal: owner, label: {integrity: trusted}, action: {kind: file_read, path: a, pth: b}}");
    assertThat(e.fieldOrNull()).isEqualTo("action.pth");
    assertThat(e.getMessage()).contains("unknown field").contains("[path]");
    assertThat(bad("- {name: x, principal: owner, label: {integrity: trusted}, action: {kind: file_read, path: a}, expct: allow}")
        .fieldOrNull()).isEqualTo("expct");
  }

  @Test
  void badValues_rejected() {
    assertThat(bad("- {name: x, principal: owner, label: {integrity: trusted}, action: {kind: file_read, path: a}, expect: maybe}")
        .fieldOrNull()).isEqualTo("expect");
    assertThat(bad("- {name: x, principal: robot:1, label: {integrity: trusted}, action: {kind: file_read, path: a}}").getMessage())
        .contains("unknown principal kind \"robot\"");
    assertThat(bad("- {name: x, principal: owner, label: {integrity: sort-of}, action: {kind: file_read, path: a}}").fieldOrNull())
        .isEqualTo("label.integrity");
    assertThat(bad("- {name: x, principal: owner, label: {integrity: trusted}, action: {kind: egress, url: not-a-url}}").getMessage())
        .contains("action.url").contains("has no host");
    assertThat(bad("- {name: x, principal: owner, label: {integrity: trusted}, action: {kind: approval_answer, approval_id: a, scope: for_duration}}")
        .getMessage()).contains("case \"x\": action: invalid approval_answer action: a timed grant needs a positive duration");
    assertThat(bad("- {name: x, principal: owner, label: {integrity: trusted}, action: {kind: exec, argv: []}}").fieldOrNull())
        .isEqualTo("action.argv");
  }

  @Test
  void duplicateNames_rejected() {
    String c = "- {name: same, principal: owner, label: {integrity: trusted}, action: {kind: file_read, path: a}}\n";
    assertThat(bad(c + c).getMessage()).contains("case \"same\": name: used by an earlier case");
  }

  @Test
  void notAListOrNotYaml_rejected() {
    assertThat(bad("just a string").getMessage()).contains("expected a list of cases");
    assertThat(bad("cases: [\n").getMessage()).contains("not valid YAML");
    assertThat(bad("tests: []").getMessage()).contains("`cases:`");
    assertThat(bad("a: &a [1]\na: 2").getMessage()).contains("not valid YAML");
  }

  @Test
  void emptyList_noCases() throws Exception {
    assertThat(PolicyTestFile.parse("[]", "t.yaml").cases()).isEmpty();
  }
}
