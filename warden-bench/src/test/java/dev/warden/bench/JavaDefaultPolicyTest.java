package dev.warden.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.kernel.Action;
import dev.warden.kernel.Decision;
import dev.warden.kernel.Facts;
import dev.warden.kernel.GrantScope;
import dev.warden.kernel.Label;
import dev.warden.kernel.PolicyRequest;
import dev.warden.kernel.Principal;
import dev.warden.policy.CedarPolicy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The benchmark's baseline must be the same rules: compare it with Cedar decision for decision. */
class JavaDefaultPolicyTest {

  static final List<Action> ACTIONS = List.of(
      new Action.Exec(List.of("ls"), ".", false),
      new Action.FileRead("a"),
      new Action.FileList("."),
      new Action.FileWrite("AGENTS.md", "x"),
      new Action.Egress("GET", URI.create("https://example.org/"), Map.of(), null, "web_fetch"),
      new Action.Egress("POST", URI.create("https://example.org/"), Map.of(), "b", "http_request"),
      new Action.Egress("PUT", URI.create("https://example.org/"), Map.of(), null, "http_request"),
      new Action.MemoryRead("q"),
      new Action.MemoryWrite("MEMORY.md", "t"),
      new Action.MessageSend("email", "bob", "hi"),
      new Action.SkillInstall("install", "w", "s", null),
      new Action.SkillRun("w", "f.sh", List.of()),
      new Action.ToolCall("mcp:x", "t", Map.of()),
      new Action.CronCreate("n", "* * * * *", "p"),
      new Action.CronDelete("n"),
      new Action.ConfigChange("k", "v"),
      new Action.CredentialUse("c", "h.example", null),
      new Action.ApprovalAnswer("ap", true, GrantScope.ONCE, null));

  static final List<Principal> PRINCIPALS = List.of(Principal.owner(), Principal.operator(), Principal.system(),
      new Principal(Principal.Kind.CRON, "j"), new Principal(Principal.Kind.SKILL, "s"),
      new Principal(Principal.Kind.CONTACT, "c"), new Principal(Principal.Kind.STRANGER, "x"));

  static final List<Label> LABELS = List.of(Label.owner(), Label.owner().join(Label.untrusted("web:example.org")),
      Label.owner().withConfidentiality(Label.Confidentiality.SECRET));

  static final List<String> BOOLEAN_FACTS = List.of(Facts.INSIDE_WORKSPACE, Facts.INSTRUCTION_FILE, Facts.MEMORY_FILE,
      Facts.URL_IN_SESSION, Facts.RECIPIENT_IS_OWNER, Facts.READ_ONLY_COMMAND, Facts.CREDENTIAL_BOUND_TO_HOST,
      Facts.DESTINATION_ALLOWED_BY_OPERATOR, Facts.QUARANTINED);

  @Test
  void sameVerdictRuleAndSourcesAsCedar() throws Exception {
    CedarPolicy cedar = CedarPolicy.loadDefaults().withMemoCapacity(0);
    JavaDefaultPolicy java = new JavaDefaultPolicy();
    List<Map<String, Object>> factSets = new ArrayList<>();
    factSets.add(Map.of());
    for (String f : BOOLEAN_FACTS) {
      if (!f.equals(Facts.QUARANTINED)) {
        Map<String, Object> m = new java.util.HashMap<>(Map.of(Facts.DESTINATION, "public", Facts.INSIDE_WORKSPACE, true));
        m.put(f, true);
        factSets.add(m);
      }
    }
    factSets.add(Map.of(Facts.DESTINATION, "public", Facts.INSIDE_WORKSPACE, true, Facts.URL_IN_SESSION, true,
        Facts.RECIPIENT_IS_OWNER, true, Facts.READ_ONLY_COMMAND, true, Facts.CREDENTIAL_BOUND_TO_HOST, true));
    factSets.add(Map.of(Facts.QUARANTINED, true));
    factSets.add(Map.of(Facts.DESTINATION, "private", Facts.DESTINATION_ALLOWED_BY_OPERATOR, true));
    int compared = 0;
    for (Action a : ACTIONS) {
      for (Principal p : PRINCIPALS) {
        for (Label l : LABELS) {
          for (Map<String, Object> facts : factSets) {
            PolicyRequest r = new PolicyRequest(a, p, l, Set.of(), facts);
            Decision c = cedar.decide(r);
            Decision j = java.decide(r);
            assertThat(List.of(j.verdict(), j.rule(), j.sources())).as(r.toString())
                .isEqualTo(List.of(c.verdict(), c.rule(), c.sources()));
            compared++;
          }
        }
      }
    }
    assertThat(compared).isGreaterThan(4000);
  }
}
