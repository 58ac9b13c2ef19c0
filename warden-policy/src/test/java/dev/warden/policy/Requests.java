package dev.warden.policy;

import dev.warden.kernel.Action;
import dev.warden.kernel.Facts;
import dev.warden.kernel.GrantScope;
import dev.warden.kernel.Label;
import dev.warden.kernel.PolicyRequest;
import dev.warden.kernel.Principal;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Test fixtures: one action of every kind, and the facts under which it is harmless. */
final class Requests {
  private Requests() {}

  static final Label OWNER = Label.owner();
  static final Label TAINTED = Label.owner().join(Label.untrusted("web:example.org"));
  static final Label SECRET = Label.owner().withConfidentiality(Label.Confidentiality.SECRET).join(Label.trusted("vault:github"));

  static final Principal CONTACT = new Principal(Principal.Kind.CONTACT, "alice");
  static final Principal STRANGER = new Principal(Principal.Kind.STRANGER, "telegram:12345");
  static final Principal CRON = new Principal(Principal.Kind.CRON, "daily-digest");
  static final Principal SKILL = new Principal(Principal.Kind.SKILL, "weather");

  static Action.Egress get(String url) {
    return new Action.Egress("GET", URI.create(url), Map.of(), null, "web_fetch");
  }

  static Action.Egress post(String url, String body) {
    return new Action.Egress("POST", URI.create(url), Map.of(), body, "http_request");
  }

  /** One action of every kind, in the facts' "harmless" shape. */
  static List<Action> everyKind() {
    return List.of(
        new Action.Exec(List.of("ls", "-la"), ".", false),
        new Action.FileRead("notes.md"),
        new Action.FileList("."),
        new Action.FileWrite("notes.md", "hello"),
        get("https://example.org/page"),
        new Action.MemoryRead("birthday"),
        new Action.MemoryWrite("MEMORY.md", "likes tea"),
        new Action.MessageSend("telegram", "owner", "done"),
        new Action.SkillInstall("install", "weather", "registry:weather", "1.0.0"),
        new Action.SkillRun("weather", "forecast.sh", List.of("Paris")),
        new Action.ToolCall("mcp:github", "list_issues", Map.of("repo", "x")),
        new Action.CronCreate("digest", "0 8 * * *", "summarise the news"),
        new Action.CronDelete("digest"),
        new Action.ConfigChange("model", "scripted"),
        new Action.CredentialUse("github", "api.github.com", "repo"),
        new Action.ApprovalAnswer("ap-1", true, GrantScope.ONCE, null));
  }

  /** Facts that make {@code action} pass every guard (inside workspace, public host, bound credential…). */
  static Map<String, Object> harmlessFacts(Action action) {
    Map<String, Object> f = new HashMap<>();
    switch (action) {
      case Action.FileRead _ -> f.put(Facts.INSIDE_WORKSPACE, true);
      case Action.FileList _ -> f.put(Facts.INSIDE_WORKSPACE, true);
      case Action.FileWrite _ -> f.put(Facts.INSIDE_WORKSPACE, true);
      case Action.Egress _ -> {
        f.put(Facts.DESTINATION, "public");
        f.put(Facts.URL_IN_SESSION, true);
      }
      case Action.CredentialUse _ -> f.put(Facts.CREDENTIAL_BOUND_TO_HOST, true);
      case Action.MessageSend _ -> f.put(Facts.RECIPIENT_IS_OWNER, true);
      case Action.Exec _ -> f.put(Facts.READ_ONLY_COMMAND, true);
      default -> { }
    }
    return f;
  }

  static PolicyRequest request(Action action, Principal principal, Label label, Map<String, Object> facts) {
    return new PolicyRequest(action, principal, label, Set.of(), facts);
  }

  static PolicyRequest harmless(Action action, Principal principal, Label label) {
    return request(action, principal, label, harmlessFacts(action));
  }

  static Map<String, Object> with(Map<String, Object> facts, Object... kv) {
    Map<String, Object> m = new HashMap<>(facts);
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
