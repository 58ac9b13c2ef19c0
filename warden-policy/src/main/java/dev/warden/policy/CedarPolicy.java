package dev.warden.policy;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.AuthorizationSuccessResponse;
import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.value.CedarList;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.PrimBool;
import com.cedarpolicy.value.PrimLong;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.Value;
import dev.warden.kernel.Decision;
import dev.warden.kernel.Label;
import dev.warden.kernel.Policy;
import dev.warden.kernel.PolicyRequest;
import dev.warden.kernel.Principal;
import dev.warden.kernel.WardenBugException;
import dev.warden.policy.internal.CedarInput;
import dev.warden.policy.internal.CedarSchema;
import dev.warden.policy.internal.DecisionMemo;
import dev.warden.policy.internal.InvalidPolicyInputException;
import dev.warden.policy.internal.PolicyCompiler;
import dev.warden.policy.internal.ReasonTemplate;
import dev.warden.policy.internal.RequestMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Warden's policy engine: Cedar policies (cedar-java) with Warden's annotations on top.
 *
 * <h2>Decision semantics</h2>
 * Cedar decides permit/deny; Warden reads the determining policies' annotations:
 * <ul>
 *   <li>a permit determined it: {@link Decision.Allow} naming the first determining permit;
 *   <li>forbids determined it and every one is {@code @decision("ask")}: {@link Decision.Ask};
 *   <li>any other determining forbid: {@link Decision.Deny} (a deny beats an ask);
 *   <li>no permit matched: {@code Deny} with rule {@value #RULE_DEFAULT_DENY};
 *   <li>Cedar reported an evaluation error in any policy, or the call failed: {@code Deny} with rule
 *       {@value #RULE_POLICY_ERROR} (Cedar skips an erroring policy, which for a forbid would mean
 *       allowing, so Warden does not trust such an answer);
 *   <li>the request carries a fact of the wrong type: {@code Deny} with rule
 *       {@value #RULE_INVALID_INPUT}.
 * </ul>
 * "First" means load order: default files in {@link #DEFAULT_POLICY_FILES} order, then operator
 * files by name, each top to bottom. Every decision's reason is the rule's {@code @reason} with its
 * placeholders filled; Deny and Ask name the label sources when the rule reads the label.
 *
 * <h2>Operator policies</h2>
 * Operator files are added to the defaults, never replace them. Cedar's forbid-overrides-permit
 * therefore makes the defaults a floor: an operator forbid always applies (as a deny, or an ask
 * with {@code @decision("ask")}), and an operator permit cannot lift a default deny or ask. To let
 * a private host through the destination guard the operator uses {@code --allow-host}; to let a
 * tainted session do a specific asked-for thing the owner grants it (approvals).
 *
 * <h2>Design notes</h2>
 * <ol>
 *   <li>Performance (DESIGN.md, measured notes): the policy set is parsed, schema-validated and
 *       {@code cache()}d once per load; action and entity-type UIDs are built once per load. A
 *       Cedar call still costs on the order of 100 µs, so decisions are memoised in a bounded LRU
 *       ({@link #MEMO_MAX_ENTRIES}) keyed by every input Cedar sees.
 *   <li>Concurrency: instances are immutable apart from the memo, which is internally locked;
 *       {@link #decide} is safe from any number of threads. A reload is a new instance.
 *   <li>Failure: loading refuses the whole set on any error, with {@code file:line}
 *       ({@link PolicyLoadException}); deciding never throws for a well-formed request and
 *       denies when anything goes wrong.
 * </ol>
 */
public final class CedarPolicy implements Policy {

  /** Maximum remembered decisions per loaded policy; least recently used evicted first. */
  public static final int MEMO_MAX_ENTRIES = 4096;

  /**
   * Inputs whose strings (URL, path, command line, label sources…) add up to more characters
   * than this are decided but not remembered, so that no entry is large: long inputs rarely
   * repeat, and this keeps the memo's worst case near {@code MEMO_MAX_ENTRIES} × 10 KB.
   */
  public static final int MEMO_MAX_INPUT_CHARS = 1024;

  /** Classpath folder of the shipped default policy files. */
  public static final String DEFAULT_POLICY_RESOURCE_DIR = "policies/default/";

  /** The shipped default policy files, in load order. */
  public static final List<String> DEFAULT_POLICY_FILES =
      List.of("10-guards.cedar", "20-tainted-context.cedar", "25-instructions.cedar", "30-principals.cedar");

  /** Rule of the Deny when no permit applies. */
  public static final String RULE_DEFAULT_DENY = "default-deny";
  /** Rule of the Deny when Cedar reported an evaluation error or the call failed. */
  public static final String RULE_POLICY_ERROR = "policy-error";
  /** Rule of the Deny when the request could not be mapped (a fact of the wrong type). */
  public static final String RULE_INVALID_INPUT = "invalid-policy-input";

  private static final BasicAuthorizationEngine ENGINE = new BasicAuthorizationEngine();
  private static final Set<Entity> NO_ENTITIES = Set.of();

  private final PolicyCompiler.Compiled compiled;
  private final Map<String, Integer> loadOrder;
  private final Map<String, EntityUID> actionUids;
  private final Map<String, EntityTypeName> resourceTypes;
  private final EntityTypeName[] principalTypes;
  private final @Nullable DecisionMemo memoOrNull;

  private CedarPolicy(PolicyCompiler.Compiled compiled, int memoEntries) {
    this.compiled = compiled;
    Map<String, Integer> order = new HashMap<>();
    for (int i = 0; i < compiled.rules().size(); i++) {
      order.put(compiled.rules().get(i).id(), i);
    }
    this.loadOrder = Map.copyOf(order);
    EntityTypeName actionType = typeName("Action");
    Map<String, EntityUID> actions = new HashMap<>();
    Map<String, EntityTypeName> resources = new HashMap<>();
    for (CedarSchema.Kind k : CedarSchema.KINDS.values()) {
      actions.put(k.name(), actionType.of(k.name()));
      resources.put(k.name(), typeName(k.resourceType()));
    }
    this.actionUids = Map.copyOf(actions);
    this.resourceTypes = Map.copyOf(resources);
    Principal.Kind[] kinds = Principal.Kind.values();
    if (kinds.length != CedarSchema.PRINCIPAL_TYPES.size()) {
      throw new WardenBugException("Principal.Kind has " + kinds.length + " values but the schema declares "
          + CedarSchema.PRINCIPAL_TYPES + "; update CedarSchema.PRINCIPAL_TYPES");
    }
    this.principalTypes = new EntityTypeName[kinds.length];
    for (int i = 0; i < kinds.length; i++) {
      principalTypes[i] = typeName(CedarSchema.PRINCIPAL_TYPES.get(i));
    }
    this.memoOrNull = memoEntries > 0 ? new DecisionMemo(memoEntries) : null;
  }

  private CedarPolicy(CedarPolicy shared, int memoEntries) {
    this.compiled = shared.compiled;
    this.loadOrder = shared.loadOrder;
    this.actionUids = shared.actionUids;
    this.resourceTypes = shared.resourceTypes;
    this.principalTypes = shared.principalTypes;
    this.memoOrNull = memoEntries > 0 ? new DecisionMemo(memoEntries) : null;
  }

  /** The shipped default policy set. */
  public static CedarPolicy loadDefaults() throws PolicyLoadException {
    return new CedarPolicy(PolicyCompiler.compile(defaultSources()), MEMO_MAX_ENTRIES);
  }

  /**
   * The defaults plus every {@code *.cedar} file directly in {@code operatorPoliciesDirOrNull}
   * (by name order; subfolders are not read). A missing folder adds nothing (a fresh
   * {@code WARDEN_HOME} has none); a path that exists but is not a folder, an unreadable file, or
   * any error in any file refuses the load.
   */
  public static CedarPolicy load(@Nullable Path operatorPoliciesDirOrNull) throws PolicyLoadException {
    List<PolicyCompiler.SourceFile> sources = new ArrayList<>(defaultSources());
    if (operatorPoliciesDirOrNull != null && Files.exists(operatorPoliciesDirOrNull)) {
      Path dir = operatorPoliciesDirOrNull;
      if (!Files.isDirectory(dir)) {
        throw new PolicyLoadException(dir.toString(), 1, "operator policies must be a folder of *.cedar files, but this is a file");
      }
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files = s.filter(p -> p.getFileName().toString().endsWith(".cedar") && Files.isRegularFile(p)).sorted().toList();
      } catch (IOException e) {
        throw new PolicyLoadException(dir.toString(), 1, "cannot list operator policies: " + e.getMessage());
      }
      for (Path f : files) {
        try {
          sources.add(new PolicyCompiler.SourceFile(f.toString(), Files.readString(f, StandardCharsets.UTF_8)));
        } catch (IOException e) {
          throw new PolicyLoadException(f.toString(), 1, "cannot read policy file: " + e.getMessage());
        }
      }
    }
    return new CedarPolicy(PolicyCompiler.compile(sources), MEMO_MAX_ENTRIES);
  }

  /** Compiles exactly the given files (no defaults): for tests of the engine's own semantics. */
  static CedarPolicy compileOnly(List<PolicyCompiler.SourceFile> files) throws PolicyLoadException {
    return new CedarPolicy(PolicyCompiler.compile(files), MEMO_MAX_ENTRIES);
  }

  /**
   * The same compiled policies with a fresh memo of {@code entries} capacity; {@code 0} disables
   * memoisation (every decision is a Cedar call: for benchmarks and differential tests).
   */
  public CedarPolicy withMemoCapacity(int entries) {
    if (entries < 0) {
      throw new IllegalArgumentException("memo capacity must be >= 0, got " + entries);
    }
    return new CedarPolicy(this, entries);
  }

  /** The loaded rules in load order. */
  public List<PolicyRule> rules() {
    return compiled.rules();
  }

  /** Warden's Cedar schema (human-readable Cedar format) that every policy is validated against. */
  public static String schemaText() {
    return CedarSchema.cedarText();
  }

  /** Memo counters; all zero when memoisation is disabled. */
  public MemoStats memoStats() {
    DecisionMemo m = memoOrNull;
    return m == null ? new MemoStats(0, 0, 0, 0) : new MemoStats(m.hits(), m.misses(), m.size(), m.capacity());
  }

  /** Memo counters: lookups that found a decision, lookups that did not, entries held, capacity. */
  public record MemoStats(long hits, long misses, int size, int capacity) {}

  @Override
  public Decision decide(PolicyRequest request) {
    CedarInput input;
    try {
      input = RequestMapper.map(request);
    } catch (InvalidPolicyInputException e) {
      return new Decision.Deny(RULE_INVALID_INPUT, "denied: " + e.getMessage());
    }
    DecisionMemo memo = memoOrNull;
    if (memo == null || inputChars(input) > MEMO_MAX_INPUT_CHARS) {
      return evaluate(input);
    }
    Decision d = memo.getOrNull(input);
    if (d == null) {
      d = evaluate(input);
      memo.put(input, d);
    }
    return d;
  }

  private static int inputChars(CedarInput input) {
    int n = input.resource().length() + input.principal().id().length();
    for (Object v : input.context().values()) {
      if (v instanceof String s) {
        n += s.length();
      } else if (v instanceof Collection<?> c) {
        for (Object o : c) {
          n += ((String) o).length();
        }
      }
    }
    return n;
  }

  private Decision evaluate(CedarInput input) {
    EntityUID action = actionUids.get(input.kind());
    EntityTypeName resourceType = resourceTypes.get(input.kind());
    if (action == null || resourceType == null) {
      return new Decision.Deny(RULE_INVALID_INPUT, "denied: Warden's policy schema has no action kind \"" + input.kind()
          + "\"; add it to CedarSchema.KINDS");
    }
    EntityUID principal = principalTypes[input.principal().kind().ordinal()].of(input.principal().id());
    AuthorizationResponse response;
    try {
      response = ENGINE.isAuthorized(
          new AuthorizationRequest(principal, action, resourceType.of(input.resource()), toCedar(input.context())),
          compiled.policySet(), NO_ENTITIES);
    } catch (AuthException e) {
      return new Decision.Deny(RULE_POLICY_ERROR, "denied: the Cedar engine failed (" + e.getMessage() + "); failing closed");
    }
    if (response.type != AuthorizationResponse.SuccessOrFailure.Success || response.success.isEmpty()) {
      return new Decision.Deny(RULE_POLICY_ERROR, "denied: the Cedar engine rejected the request ("
          + response.errors.map(Object::toString).orElse("no detail") + "); failing closed");
    }
    AuthorizationSuccessResponse s = response.success.get();
    if (!s.getErrors().isEmpty()) {
      var err = s.getErrors().getFirst();
      return new Decision.Deny(RULE_POLICY_ERROR, "denied: policy " + err.getPolicyId() + " failed to evaluate ("
          + err.getError().message + "); failing closed");
    }
    Set<String> determining = s.getReason();
    if (s.isAllowed()) {
      PolicyRule rule = Objects.requireNonNull(first(determining, null));
      return new Decision.Allow(rule.id(), render(rule, input, new TreeSet<>()));
    }
    if (determining.isEmpty()) {
      return new Decision.Deny(RULE_DEFAULT_DENY, "denied: no policy permits " + input.kind() + " by "
          + input.principal().qualified());
    }
    PolicyRule deny = first(determining, PolicyRule.Outcome.DENY);
    if (deny != null) {
      SortedSet<String> sources = sourcesFor(deny, input);
      return new Decision.Deny(deny.id(), render(deny, input, sources), sources);
    }
    PolicyRule ask = first(determining, PolicyRule.Outcome.ASK);
    if (ask == null) {
      throw new WardenBugException("cedar denied by " + determining + " but none is a loaded forbid");
    }
    SortedSet<String> sources = sourcesFor(ask, input);
    return new Decision.Ask(ask.id(), render(ask, input, sources), sources);
  }

  /** The earliest-loaded determining rule (with the given outcome, or any when null). */
  private @Nullable PolicyRule first(Set<String> ids, PolicyRule.@Nullable Outcome outcomeOrNull) {
    PolicyRule best = null;
    int bestOrder = Integer.MAX_VALUE;
    for (String id : ids) {
      PolicyRule r = compiled.rulesById().get(id);
      if (r == null) {
        throw new WardenBugException("cedar named policy " + id + " which Warden did not load");
      }
      int o = loadOrder.get(id);
      if ((outcomeOrNull == null || r.outcome() == outcomeOrNull) && o < bestOrder) {
        best = r;
        bestOrder = o;
      }
    }
    if (best == null && outcomeOrNull == null) {
      throw new WardenBugException("cedar allowed with no determining policy");
    }
    return best;
  }

  private static SortedSet<String> sourcesFor(PolicyRule rule, CedarInput input) {
    return switch (rule.sources()) {
      case NONE -> new TreeSet<>();
      case ALL -> new TreeSet<>(labelSources(input));
      case UNTRUSTED -> untrusted(labelSources(input));
    };
  }

  @SuppressWarnings("unchecked")
  private static Collection<String> labelSources(CedarInput input) {
    return (Collection<String>) input.context().get("sources");
  }

  private static SortedSet<String> untrusted(Collection<String> sources) {
    TreeSet<String> out = new TreeSet<>();
    for (String s : sources) {
      if (!Label.isTrustedSourceName(s)) {
        out.add(s);
      }
    }
    return out;
  }

  private String render(PolicyRule rule, CedarInput input, SortedSet<String> sources) {
    ReasonTemplate t = compiled.reasons().get(rule.id());
    return t.render(input, sources, untrusted(labelSources(input)));
  }

  private static Map<String, Value> toCedar(Map<String, Object> context) {
    Map<String, Value> out = new HashMap<>(context.size() * 2);
    for (Map.Entry<String, Object> e : context.entrySet()) {
      out.put(e.getKey(), switch (e.getValue()) {
        case String str -> new PrimString(str);
        case Boolean b -> new PrimBool(b);
        case Long l -> new PrimLong(l);
        case Collection<?> c -> {
          List<Value> items = new ArrayList<>(c.size());
          for (Object o : c) {
            items.add(new PrimString((String) o));
          }
          yield new CedarList(items);
        }
        default -> throw new WardenBugException("context attribute " + e.getKey() + " has unsupported type "
            + e.getValue().getClass().getName());
      });
    }
    return out;
  }

  private static EntityTypeName typeName(String base) {
    String qualified = CedarSchema.NAMESPACE + "::" + base;
    return EntityTypeName.parse(qualified)
        .orElseThrow(() -> new WardenBugException("cedar rejected entity type name " + qualified));
  }

  private static List<PolicyCompiler.SourceFile> defaultSources() throws PolicyLoadException {
    List<PolicyCompiler.SourceFile> out = new ArrayList<>();
    for (String name : DEFAULT_POLICY_FILES) {
      String resource = DEFAULT_POLICY_RESOURCE_DIR + name;
      try (InputStream in = CedarPolicy.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new PolicyLoadException("classpath:" + resource, 1,
              "default policy file missing from the classpath; the warden-policy jar is incomplete");
        }
        out.add(new PolicyCompiler.SourceFile("classpath:" + resource, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new PolicyLoadException("classpath:" + resource, 1, "cannot read default policy file: " + e.getMessage());
      }
    }
    return out;
  }
}
