package dev.warden.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.kernel.Action;
import dev.warden.kernel.Facts;
import dev.warden.kernel.GrantScope;
import dev.warden.kernel.Label;
import dev.warden.kernel.PolicyRequest;
import dev.warden.kernel.Principal;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RequestMapperTest {

  static final List<Action> EVERY_KIND = List.of(
      new Action.Exec(List.of("ls", "-la"), ".", false),
      new Action.FileRead("a"),
      new Action.FileList("."),
      new Action.FileWrite("a", "b"),
      new Action.Egress("POST", URI.create("https://Example.org:8443/p?q=1"), Map.of(), "x", "http_request"),
      new Action.MemoryRead("q"),
      new Action.MemoryWrite("MEMORY.md", "t"),
      new Action.MessageSend("telegram", "bob", "hi"),
      new Action.SkillInstall("install", "weather", "registry:weather", null),
      new Action.SkillRun("weather", "f.sh", List.of()),
      new Action.ToolCall("mcp:x", "t", Map.of()),
      new Action.CronCreate("n", "* * * * *", "p"),
      new Action.CronDelete("n"),
      new Action.ConfigChange("k", "v"),
      new Action.CredentialUse("c", "API.example.org", null),
      new Action.ApprovalAnswer("ap", false, GrantScope.ONCE, null));

  static CedarInput map(Action a, Map<String, Object> facts) throws Exception {
    return RequestMapper.map(new PolicyRequest(a, Principal.owner(), Label.owner(), Set.of("net"), facts));
  }

  @Test
  void everyKind_contextHasExactlyTheSchemaFields() throws Exception {
    for (Action a : EVERY_KIND) {
      CedarInput in = map(a, Map.of());
      CedarSchema.Kind kind = CedarSchema.KINDS.get(a.kind());
      assertThat(kind).as(a.kind()).isNotNull();
      Map<String, CedarSchema.Type> expected = CedarSchema.contextFields(kind).stream()
          .collect(Collectors.toMap(CedarSchema.Field::name, CedarSchema.Field::type));
      assertThat(in.context().keySet()).as(a.kind()).isEqualTo(expected.keySet());
      in.context().forEach((name, value) -> {
        Class<?> want = switch (expected.get(name)) {
          case STRING -> String.class;
          case BOOL -> Boolean.class;
          case LONG -> Long.class;
          case STRING_SET -> Set.class;
        };
        assertThat(value).as(a.kind() + "." + name).isInstanceOf(want);
      });
    }
  }

  @Test
  void egress_fieldsFromUrl() throws Exception {
    CedarInput in = map(EVERY_KIND.get(4), Map.of(Facts.DESTINATION, "public"));
    assertThat(in.context()).containsEntry("method", "POST").containsEntry("host", "example.org")
        .containsEntry("port", 8443L).containsEntry("path", "/p").containsEntry("scheme", "https")
        .containsEntry("has_body", true).containsEntry("destination", "public").containsEntry("url_in_session", false)
        .containsEntry("capabilities", Set.of("net"));
    assertThat(in.resource()).isEqualTo("example.org");
  }

  @Test
  void missingFacts_failClosedDefaults() throws Exception {
    assertThat(map(EVERY_KIND.get(4), Map.of()).context()).containsEntry("destination", "unresolved");
    assertThat(map(EVERY_KIND.get(1), Map.of()).context()).containsEntry("inside_workspace", false);
    assertThat(map(EVERY_KIND.get(14), Map.of()).context()).containsEntry("credential_bound_to_host", false)
        .containsEntry("host", "api.example.org").containsEntry("scope", "");
  }

  @Test
  void hasBodyFact_orsWithBody() throws Exception {
    Action get = new Action.Egress("GET", URI.create("https://e.org/"), Map.of(), null, "web_fetch");
    assertThat(map(get, Map.of()).context()).containsEntry("has_body", false);
    assertThat(map(get, Map.of(Facts.HAS_BODY, true)).context()).containsEntry("has_body", true);
  }

  @Test
  void wrongFactType_rejected() {
    assertThatThrownBy(() -> map(EVERY_KIND.get(4), Map.of(Facts.DESTINATION, true)))
        .isInstanceOf(InvalidPolicyInputException.class).hasMessageContaining("destination must be a string");
    assertThatThrownBy(() -> map(EVERY_KIND.get(1), Map.of(Facts.QUARANTINED, "no")))
        .isInstanceOf(InvalidPolicyInputException.class).hasMessageContaining("quarantined must be a boolean");
  }

  @Test
  void equalRequests_equalInputs() throws Exception {
    assertThat(map(EVERY_KIND.get(4), Map.of(Facts.DESTINATION, "public")))
        .isEqualTo(map(EVERY_KIND.get(4), Map.of(Facts.DESTINATION, "public", "unrelated", 1)))
        .isNotEqualTo(map(EVERY_KIND.get(4), Map.of(Facts.DESTINATION, "private")));
  }
}
