package dev.warden.bench;

import dev.warden.kernel.Action;
import dev.warden.kernel.Decision;
import dev.warden.kernel.Facts;
import dev.warden.kernel.Label;
import dev.warden.kernel.Policy;
import dev.warden.kernel.PolicyRequest;
import dev.warden.kernel.Principal;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Warden's default policy set ({@code warden-policy/src/main/resources/policies/default/*.cedar})
 * written by hand in Java: the baseline {@link PolicyDecisionBenchmark} compares Cedar against.
 * Same rule ids, same precedence (first deny in load order, else first ask, else first permit,
 * else default-deny), same label sources; reasons are shortened. {@code JavaDefaultPolicyTest}
 * checks it decision-for-decision (verdict, rule, sources) against {@code CedarPolicy}.
 *
 * <p>Not used by Warden itself: the point of Cedar is that operators can read and extend the
 * rules without recompiling; this class only measures what that costs.
 */
public final class JavaDefaultPolicy implements Policy {

  @Override
  public Decision decide(PolicyRequest r) {
    Action a = r.action();
    Principal.Kind p = r.principal().kind();
    Label label = r.context();
    String kind = a.kind();
    boolean isFile = a instanceof Action.FileRead || a instanceof Action.FileList || a instanceof Action.FileWrite;

    if (r.fact(Facts.QUARANTINED)) {
      return deny("deny-quarantined", "Warden is quarantined", new TreeSet<>());
    }
    if (isFile && !r.fact(Facts.INSIDE_WORKSPACE)) {
      return deny("deny-file-outside-workspace", a.resource() + " is outside the workspace", new TreeSet<>());
    }
    if (a instanceof Action.Egress e) {
      String destination = r.factString(Facts.DESTINATION, "unresolved");
      if (!destination.equals("public") && !r.fact(Facts.DESTINATION_ALLOWED_BY_OPERATOR)) {
        return deny("deny-egress-non-public-destination", e.host() + " resolves to a " + destination + " address", new TreeSet<>());
      }
    }
    if (a instanceof Action.CredentialUse c && !r.fact(Facts.CREDENTIAL_BOUND_TO_HOST)) {
      return deny("deny-credential-unbound-host", "credential " + c.credential() + " is not bound to " + c.host(), new TreeSet<>());
    }
    if ((a instanceof Action.Egress || a instanceof Action.MessageSend) && label.confidentiality() == Label.Confidentiality.SECRET) {
      return deny("deny-secret-outbound", "the session holds secret data", new TreeSet<>(label.sources()));
    }
    if (a instanceof Action.ApprovalAnswer && p != Principal.Kind.OWNER && p != Principal.Kind.OPERATOR) {
      return deny("deny-approval-answer-not-owner", "only the owner or the operator may answer approval requests", new TreeSet<>());
    }

    if (label.isTainted()) {
      String rule = switch (a) {
        case Action.MemoryWrite m -> "ask-tainted-memory-write";
        case Action.FileWrite w when r.fact(Facts.INSTRUCTION_FILE) -> "ask-tainted-instruction-file-write";
        case Action.FileWrite w when r.fact(Facts.MEMORY_FILE) -> "ask-tainted-memory-file-write";
        case Action.CronCreate c -> "ask-tainted-cron-change";
        case Action.CronDelete c -> "ask-tainted-cron-change";
        case Action.MessageSend m when !r.fact(Facts.RECIPIENT_IS_OWNER) -> "ask-tainted-message-third-party";
        case Action.Egress e when e.bodyOrNull() != null || r.fact(Facts.HAS_BODY) -> "ask-tainted-egress-body";
        case Action.Egress e when !e.method().equals("GET") -> "ask-tainted-egress-method";
        case Action.Egress e when !r.fact(Facts.URL_IN_SESSION) -> "ask-tainted-egress-new-url";
        case Action.SkillInstall s -> "ask-tainted-skill-install";
        case Action.ConfigChange c -> "ask-tainted-config-change";
        case Action.CredentialUse c -> "ask-tainted-credential-use";
        case Action.Exec x when !r.fact(Facts.READ_ONLY_COMMAND) -> "ask-tainted-exec";
        case Action.SkillRun s -> "ask-tainted-skill-run";
        case Action.ToolCall t -> "ask-tainted-tool-call";
        default -> null;
      };
      if (rule != null) {
        SortedSet<String> sources = label.untrustedSources();
        return new Decision.Ask(rule, "session read untrusted content from " + String.join(", ", sources)
            + "; " + a.describe() + " needs approval", sources);
      }
    }
    if (a instanceof Action.FileWrite && r.fact(Facts.INSTRUCTION_FILE)) {
      return new Decision.Ask("ask-instruction-file-write", "rewriting " + a.resource() + " needs the owner's review",
          new TreeSet<>());
    }
    boolean thirdParty = p == Principal.Kind.CONTACT || p == Principal.Kind.STRANGER;
    boolean read = a instanceof Action.FileRead || a instanceof Action.FileList || a instanceof Action.MemoryRead
        || kind.equals("cron_list");
    if (thirdParty && !read) {
      return new Decision.Ask("ask-third-party-effect", r.principal() + " is not the owner; " + kind + " needs approval",
          new TreeSet<>());
    }
    return switch (p) {
      case OWNER, OPERATOR -> new Decision.Allow("allow-owner-operator", r.principal() + " may use every tool");
      case CRON, SKILL, SYSTEM -> new Decision.Allow("allow-agent-principals", r.principal() + " acts under the owner's rules");
      case CONTACT, STRANGER -> new Decision.Allow("allow-third-party", r.principal() + " may read");
    };
  }

  private static Decision deny(String rule, String reason, SortedSet<String> sources) {
    return new Decision.Deny(rule, reason, sources);
  }
}
