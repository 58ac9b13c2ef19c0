package dev.warden.policy.internal;

import dev.warden.kernel.Action;
import dev.warden.kernel.Facts;
import dev.warden.kernel.Label;
import dev.warden.kernel.PolicyRequest;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link PolicyRequest} into a {@link CedarInput} whose context has exactly the attributes
 * {@link CedarSchema} declares for the action's kind.
 *
 * <p>Facts the kernel did not supply get their fail-closed default: a path is outside the
 * workspace, a destination is {@code unresolved}, a credential is not bound to the host, a URL was
 * not seen in the session, a recipient is not the owner, a command is not read-only. Facts whose
 * names {@link dev.warden.kernel.Facts} does not define are ignored (policies cannot name them:
 * the schema does not declare them). A fact of the wrong type is an error, never a guess.
 */
public final class RequestMapper {
  private RequestMapper() {}

  public static CedarInput map(PolicyRequest request) throws InvalidPolicyInputException {
    Action action = request.action();
    Map<String, Object> facts = request.facts();
    Map<String, Object> c = new HashMap<>(32);
    Label label = request.context();
    c.put("integrity", label.integrity().name().toLowerCase(Locale.ROOT));
    c.put("tainted", label.isTainted());
    c.put("confidentiality", label.confidentiality().name().toLowerCase(Locale.ROOT));
    c.put("sources", label.sources());
    c.put("capabilities", Set.copyOf(request.capabilities()));
    c.put("principal_kind", request.principal().kind().name().toLowerCase(Locale.ROOT));
    c.put("principal_id", request.principal().id());
    c.put("resource", action.resource());
    c.put("quarantined", bool(facts, Facts.QUARANTINED));
    switch (action) {
      case Action.Exec e -> {
        c.put("command", e.argv().getFirst());
        c.put("command_line", String.join(" ", e.argv()));
        c.put("working_directory", e.workingDirectory());
        c.put("network", e.network());
        c.put("read_only_command", bool(facts, Facts.READ_ONLY_COMMAND));
      }
      case Action.FileRead f -> file(c, facts, f.path());
      case Action.FileList f -> file(c, facts, f.path());
      case Action.FileWrite f -> file(c, facts, f.path());
      case Action.Egress e -> {
        c.put("method", e.method());
        c.put("url", e.url().toString());
        c.put("scheme", e.url().getScheme() == null ? "" : e.url().getScheme().toLowerCase(Locale.ROOT));
        c.put("host", e.host());
        c.put("port", (long) e.port());
        c.put("path", e.url().getRawPath() == null ? "" : e.url().getRawPath());
        c.put("has_body", e.bodyOrNull() != null || bool(facts, Facts.HAS_BODY));
        c.put("via", e.via());
        c.put("destination", string(facts, Facts.DESTINATION, "unresolved"));
        c.put("destination_allowed_by_operator", bool(facts, Facts.DESTINATION_ALLOWED_BY_OPERATOR));
        c.put("url_in_session", bool(facts, Facts.URL_IN_SESSION));
      }
      case Action.MemoryRead _ -> { }
      case Action.MemoryWrite m -> c.put("path", m.file());
      case Action.MessageSend m -> {
        c.put("channel", m.channel());
        c.put("recipient", m.recipient());
        c.put("recipient_is_owner", bool(facts, Facts.RECIPIENT_IS_OWNER));
      }
      case Action.SkillInstall s -> {
        c.put("operation", s.operation());
        c.put("skill", s.name());
        c.put("source", s.source());
        c.put("version", s.versionOrNull() == null ? "" : s.versionOrNull());
      }
      case Action.SkillRun s -> {
        c.put("skill", s.skill());
        c.put("script", s.script());
      }
      case Action.ToolCall t -> {
        c.put("provider", t.provider());
        c.put("tool", t.tool());
      }
      case Action.CronCreate cc -> {
        c.put("name", cc.name());
        c.put("schedule", cc.schedule());
      }
      case Action.CronDelete cd -> c.put("name", cd.name());
      case Action.ConfigChange cfg -> c.put("key", cfg.key());
      case Action.CredentialUse cu -> {
        c.put("credential", cu.credential());
        c.put("host", cu.host().toLowerCase(Locale.ROOT));
        c.put("scope", cu.scopeOrNull() == null ? "" : cu.scopeOrNull());
        c.put("credential_bound_to_host", bool(facts, Facts.CREDENTIAL_BOUND_TO_HOST));
      }
      case Action.ApprovalAnswer a -> {
        c.put("granted", a.granted());
        c.put("grant_scope", a.scope().name().toLowerCase(Locale.ROOT));
      }
      // Kinds with only the common attributes (cron_list). A kind the schema does not declare at
      // all is denied by CedarPolicy, so a new Action type fails closed until it is mapped.
      default -> { }
    }
    return new CedarInput(request.principal(), action.kind(), action.resource(), c);
  }

  private static void file(Map<String, Object> c, Map<String, Object> facts, String path) throws InvalidPolicyInputException {
    c.put("path", path);
    c.put("inside_workspace", bool(facts, Facts.INSIDE_WORKSPACE));
    c.put("instruction_file", bool(facts, Facts.INSTRUCTION_FILE));
    c.put("memory_file", bool(facts, Facts.MEMORY_FILE));
  }

  private static boolean bool(Map<String, Object> facts, String name) throws InvalidPolicyInputException {
    Object v = facts.get(name);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new InvalidPolicyInputException(
        "fact " + name + " must be a boolean, got " + v.getClass().getSimpleName() + " " + v
            + "; the normaliser that set it has a bug");
  }

  private static String string(Map<String, Object> facts, String name, String fallback) throws InvalidPolicyInputException {
    Object v = facts.get(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof String s) {
      return s;
    }
    throw new InvalidPolicyInputException(
        "fact " + name + " must be a string, got " + v.getClass().getSimpleName() + " " + v
            + "; the normaliser that set it has a bug");
  }
}
