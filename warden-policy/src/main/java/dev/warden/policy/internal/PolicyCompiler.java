package dev.warden.policy.internal;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.DetailedError;
import com.cedarpolicy.model.Effect;
import com.cedarpolicy.model.ValidationRequest;
import com.cedarpolicy.model.ValidationResponse;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.model.exception.CacheException;
import com.cedarpolicy.model.exception.InternalException;
import com.cedarpolicy.model.policy.Policy;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.model.schema.Schema;
import dev.warden.kernel.WardenBugException;
import dev.warden.policy.PolicyLoadException;
import dev.warden.policy.PolicyRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses, checks and compiles policy files into one cached Cedar {@link PolicySet}.
 *
 * <p>Design notes.
 * <ol>
 *   <li>Fail closed: any problem in any file refuses the whole set with {@code file:line}. A
 *       half-loaded policy could silently drop a forbid.
 *   <li>Validation against {@link CedarSchema} is what makes runtime evaluation errors
 *       impossible in practice: Cedar skips a policy whose evaluation errors, which for a forbid
 *       would mean allowing. (The decision path still treats any evaluation error as a deny.)
 *   <li>Performance: the set is parsed and {@code cache()}d once here; every decision reuses it
 *       by cache key instead of re-sending the policies through JNI.
 * </ol>
 */
public final class PolicyCompiler {
  private PolicyCompiler() {}

  /** A policy file's name (for messages) and text. */
  public record SourceFile(String name, String text) {}

  /** The result: the cached set and the rules in load order (defaults first). */
  public record Compiled(PolicySet policySet, List<PolicyRule> rules, Map<String, PolicyRule> rulesById,
      Map<String, ReasonTemplate> reasons) {}

  /** Rule names the engine itself uses for decisions no policy made. */
  public static final Set<String> RESERVED_IDS =
      Set.of("default-deny", "policy-error", "invalid-policy-input", "quarantine");

  static final Set<String> KNOWN_ANNOTATIONS = Set.of("id", "reason", "decision", "sources");
  private static final Pattern ID_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  /** Longest rule id accepted; ids go into audit records and the UI. */
  static final int MAX_RULE_ID_CHARS = 100;
  /** Longest reason template accepted. */
  static final int MAX_REASON_TEMPLATE_CHARS = 500;
  /** Largest policy file accepted (the default set is a few KB). */
  public static final int MAX_POLICY_FILE_CHARS = 1024 * 1024;
  /**
   * Longest statement whose syntax error is located line by line (each line is one re-parse);
   * beyond it the error names the statement's first line.
   */
  static final int MAX_LOCATE_LINES = 400;

  private static final BasicAuthorizationEngine ENGINE = new BasicAuthorizationEngine();
  private static volatile @Nullable Schema schema;

  private record Parsed(PolicyRule rule, Policy policy, CedarStatements.Statement statement, String file) {}

  public static Compiled compile(List<SourceFile> files) throws PolicyLoadException {
    List<Parsed> all = new ArrayList<>();
    Map<String, Parsed> byId = new HashMap<>();
    for (SourceFile f : files) {
      if (f.text().length() > MAX_POLICY_FILE_CHARS) {
        throw new PolicyLoadException(f.name(), 1, "the file has " + f.text().length() + " characters, more than the "
            + MAX_POLICY_FILE_CHARS + " a policy file may have; split it");
      }
      List<Parsed> inFile = new ArrayList<>();
      for (CedarStatements.Statement st : CedarStatements.split(f.text())) {
        Parsed p = parseOne(f.name(), st);
        Parsed dup = byId.putIfAbsent(p.rule().id(), p);
        if (dup != null) {
          throw new PolicyLoadException(f.name(), st.startLine(), "duplicate @id(\"" + p.rule().id()
              + "\"): already used at " + dup.rule().location() + "; every policy needs its own id");
        }
        inFile.add(p);
      }
      validate(f.name(), inFile);
      all.addAll(inFile);
    }
    Set<Policy> policies = new LinkedHashSet<>();
    List<PolicyRule> rules = new ArrayList<>();
    Map<String, PolicyRule> rulesById = new LinkedHashMap<>();
    Map<String, ReasonTemplate> reasons = new HashMap<>();
    for (Parsed p : all) {
      policies.add(p.policy());
      rules.add(p.rule());
      rulesById.put(p.rule().id(), p.rule());
      reasons.put(p.rule().id(), ReasonTemplate.parse(p.rule().reasonTemplate()));
    }
    PolicySet set = new PolicySet(policies);
    try {
      set.cache();
    } catch (CacheException e) {
      throw new WardenBugException("cedar could not cache a policy set that parsed and validated: " + e.getMessage(), e);
    }
    return new Compiled(set, List.copyOf(rules), Map.copyOf(rulesById), Map.copyOf(reasons));
  }

  private static Parsed parseOne(String file, CedarStatements.Statement st) throws PolicyLoadException {
    PolicySet one;
    try {
      one = PolicySet.parsePolicies(st.text());
    } catch (InternalException e) {
      String msg = cedarMessage(e);
      throw new PolicyLoadException(file, locateSyntaxError(st, msg), "syntax error: " + msg);
    }
    if (one.getNumTemplates() != 0 || one.policies.size() != 1) {
      throw new PolicyLoadException(file, st.startLine(),
          "expected one static policy, found " + one.policies.size() + " policies and "
              + one.getNumTemplates() + " templates (templates are not supported)");
    }
    Policy parsed = one.policies.iterator().next();
    Map<String, String> ann;
    Effect effect;
    try {
      ann = parsed.getAnnotations();
      effect = parsed.effect();
    } catch (InternalException e) {
      throw new PolicyLoadException(file, st.startLine(), "cannot read the policy: " + cedarMessage(e));
    }
    for (String key : ann.keySet()) {
      if (!KNOWN_ANNOTATIONS.contains(key)) {
        throw new PolicyLoadException(file, st.startLine(),
            "unknown annotation @" + key + "; Warden reads " + KNOWN_ANNOTATIONS.stream().sorted().map(k -> "@" + k).toList());
      }
    }
    String id = ann.get("id");
    if (id == null || !ID_PATTERN.matcher(id).matches() || id.length() > MAX_RULE_ID_CHARS) {
      throw new PolicyLoadException(file, st.startLine(),
          "every policy needs @id(\"…\") of letters, digits, '.', '_' or '-' (at most " + MAX_RULE_ID_CHARS
              + " characters), got " + (id == null ? "none" : "\"" + id + "\""));
    }
    if (RESERVED_IDS.contains(id)) {
      throw new PolicyLoadException(file, st.startLine(), "@id(\"" + id + "\") is reserved for Warden's own decisions; pick another id");
    }
    String reason = ann.get("reason");
    if (reason == null || reason.isBlank() || reason.length() > MAX_REASON_TEMPLATE_CHARS) {
      throw new PolicyLoadException(file, st.startLine(),
          "policy " + id + " needs @reason(\"…\"): one sentence (at most " + MAX_REASON_TEMPLATE_CHARS
              + " characters) telling a person why, e.g. @reason(\"{host} is not a public host\")");
    }
    try {
      ReasonTemplate.parse(reason);
    } catch (IllegalArgumentException e) {
      throw new PolicyLoadException(file, st.startLine(), "policy " + id + ": " + e.getMessage());
    }
    PolicyRule.Outcome outcome = outcome(file, st, id, effect, ann.get("decision"));
    PolicyRule.Sources sources = sources(file, st, id, effect, ann.get("sources"));
    PolicyRule rule = new PolicyRule(id, outcome, reason, sources, file, st.startLine());
    return new Parsed(rule, new Policy(st.text(), id), st, file);
  }

  private static PolicyRule.Outcome outcome(String file, CedarStatements.Statement st, String id, Effect effect, String decision)
      throws PolicyLoadException {
    if (effect == Effect.PERMIT) {
      if (decision != null && !decision.equals("allow")) {
        throw new PolicyLoadException(file, st.startLine(), "policy " + id + " is a permit, so @decision can only be \"allow\", got \""
            + decision + "\"; write a forbid with @decision(\"ask\") to ask");
      }
      return PolicyRule.Outcome.ALLOW;
    }
    if (decision == null || decision.equals("deny")) {
      return PolicyRule.Outcome.DENY;
    }
    if (decision.equals("ask")) {
      return PolicyRule.Outcome.ASK;
    }
    throw new PolicyLoadException(file, st.startLine(),
        "policy " + id + ": @decision on a forbid must be \"deny\" or \"ask\", got \"" + decision + "\"");
  }

  /** Explicit {@code @sources}, else inferred for forbids from which label attributes they read. */
  private static PolicyRule.Sources sources(String file, CedarStatements.Statement st, String id, Effect effect, String value)
      throws PolicyLoadException {
    if (value != null) {
      return switch (value) {
        case "none" -> PolicyRule.Sources.NONE;
        case "untrusted" -> PolicyRule.Sources.UNTRUSTED;
        case "all" -> PolicyRule.Sources.ALL;
        default -> throw new PolicyLoadException(file, st.startLine(),
            "policy " + id + ": @sources must be \"none\", \"untrusted\" or \"all\", got \"" + value + "\"");
      };
    }
    if (effect == Effect.PERMIT) {
      return PolicyRule.Sources.NONE;
    }
    String t = st.text();
    if (t.contains("context.confidentiality")) {
      return PolicyRule.Sources.ALL;
    }
    if (t.contains("context.tainted") || t.contains("context.integrity") || t.contains("context.sources")) {
      return PolicyRule.Sources.UNTRUSTED;
    }
    return PolicyRule.Sources.NONE;
  }

  private static void validate(String file, List<Parsed> inFile) throws PolicyLoadException {
    if (inFile.isEmpty()) {
      return;
    }
    Set<Policy> policies = new LinkedHashSet<>();
    Map<String, Parsed> byId = new HashMap<>();
    for (Parsed p : inFile) {
      policies.add(p.policy());
      byId.put(p.rule().id(), p);
    }
    ValidationResponse r;
    try {
      r = ENGINE.validate(new ValidationRequest(schema(), new PolicySet(policies)));
    } catch (AuthException e) {
      throw new WardenBugException("cedar validation call failed for " + file + ": " + e, e);
    }
    if (r.type != ValidationResponse.SuccessOrFailure.Success || r.success.isEmpty()) {
      throw new WardenBugException("cedar could not validate " + file + " against Warden's schema: " + r.errors);
    }
    var errors = r.success.get().validationErrors;
    if (!errors.isEmpty()) {
      var first = errors.getFirst();
      Parsed p = byId.get(first.getPolicyId());
      DetailedError de = first.getError();
      int line = p == null ? 1 : de.sourceLocations.isEmpty() ? p.statement().startLine()
          : p.statement().lineOf(de.sourceLocations.getFirst().start);
      String help = de.help.map(h -> " (" + h + ")").orElse("");
      String more = errors.size() > 1 ? "; " + (errors.size() - 1) + " more error(s) in this file" : "";
      throw new PolicyLoadException(file, line, "does not match Warden's schema: " + de.message + help + more
          + "; see docs/policy.md for the attributes each action has");
    }
  }

  /** Warden's schema, parsed once. */
  public static Schema schema() {
    Schema s = schema;
    if (s == null) {
      try {
        s = Schema.parse(Schema.JsonOrCedar.Cedar, CedarSchema.cedarText());
      } catch (InternalException e) {
        throw new WardenBugException("Warden's generated Cedar schema does not parse: " + cedarMessage(e), e);
      }
      schema = s;
    }
    return s;
  }

  /**
   * Cedar reports what is wrong but not where. Parse ever longer line prefixes of the statement:
   * while the cut lies before the error the parser stops at the end of input; the first prefix
   * that fails with the same message as the whole statement ends on the error's line.
   */
  static int locateSyntaxError(CedarStatements.Statement st, String message) {
    String[] lines = st.text().split("\n", -1);
    if (lines.length <= 1 || isEndOfInput(message)) {
      return st.startLine() + Math.max(0, lines.length - 1);
    }
    if (lines.length > MAX_LOCATE_LINES) {
      return st.startLine();
    }
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        prefix.append('\n');
      }
      prefix.append(lines[i]);
      try {
        PolicySet.parsePolicies(prefix.toString());
      } catch (InternalException e) {
        if (cedarMessage(e).equals(message)) {
          return st.startLine() + i;
        }
      }
    }
    return st.startLine();
  }

  private static boolean isEndOfInput(String message) {
    return message.contains("end of input") || message.contains("unexpected EOF");
  }

  /** The parser's own words without cedar-java's "Internal error: Internal JNI Error:" prefixes. */
  static String cedarMessage(InternalException e) {
    List<String> errs = e.getErrors();
    String m = errs == null || errs.isEmpty() ? String.valueOf(e.getMessage()) : String.join("; ", errs);
    return m.replace("Internal error: ", "").replace("Internal JNI Error: ", "").strip();
  }
}
