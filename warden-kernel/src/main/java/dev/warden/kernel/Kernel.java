package dev.warden.kernel;

import dev.warden.kernel.audit.AuditException;
import dev.warden.kernel.audit.AuditLog;
import dev.warden.kernel.audit.AuditRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The reference monitor. Complete mediation: no effect happens except through {@link #submit}.
 *
 * <h2>Design notes</h2>
 * <b>Order of steps</b> (docs/architecture/README.md): 1. normalise; 2. decide (policy, then
 * standing grants may turn an Ask into an Allow, never a Deny into anything); 3. append the
 * decision to the audit log — nothing runs that is not recorded; 4. on Ask park the action and
 * notify; 5. execute through the action's executor; 6. label the result, join it into the session
 * and append the outcome.
 *
 * <p><b>Failure.</b> If normalisation throws, the action is denied with the reason. If the audit
 * log cannot be appended, the action is refused (fail closed) and {@link #submit} returns Denied
 * with rule {@code audit-unavailable}. An executor exception becomes a recorded Failed outcome.
 *
 * <p><b>Concurrency.</b> Thread-safe. Sessions may submit concurrently; the audit log serialises
 * appends. Parked actions live in memory: after a restart their requests are reported as expired.
 *
 * <p><b>Threats.</b> The model's output is data: it reaches the kernel only as Action values, and
 * the label of the session, not anything the model says, decides whether a high-risk sink asks.
 */
public final class Kernel {

  /** How long a parked action waits for the owner before it is denied. */
  public static final Duration DEFAULT_APPROVAL_TTL = Duration.ofMinutes(30);

  private volatile Policy policy;
  private final Normalizer normalizer;
  private final AuditLog audit;
  private final ApprovalStore approvals;
  private final GrantStore grants;
  private final InstantSource clock;
  private final Map<Class<? extends Action>, ActionExecutor<? extends Action>> executors = new ConcurrentHashMap<>();
  private final Map<String, Parked> parked = new ConcurrentHashMap<>();
  private final List<Consumer<ApprovalRequest>> approvalListeners = new CopyOnWriteArrayList<>();
  private final Duration approvalTtl;
  private volatile boolean quarantined;

  private record Parked(Action action, SessionContext session, Decision.Ask decision, CompletableFuture<Submission> future) {}

  public Kernel(Policy policy, Normalizer normalizer, AuditLog audit, ApprovalStore approvals, GrantStore grants,
      InstantSource clock, Duration approvalTtl) {
    this.policy = policy;
    this.normalizer = normalizer;
    this.audit = audit;
    this.approvals = approvals;
    this.grants = grants;
    this.clock = clock;
    this.approvalTtl = approvalTtl;
  }

  public <A extends Action> void register(Class<A> type, ActionExecutor<A> executor) {
    executors.put(type, executor);
  }

  /**
   * Wraps every registered executor (the composition root uses it to announce writes to the
   * integrity watch while an action runs). Executors registered later are not wrapped.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void decorateExecutors(java.util.function.BiFunction<Class<? extends Action>, ActionExecutor<Action>,
      ActionExecutor<Action>> decorator) {
    for (Map.Entry<Class<? extends Action>, ActionExecutor<? extends Action>> e : executors.entrySet()) {
      e.setValue((ActionExecutor) decorator.apply(e.getKey(), (ActionExecutor<Action>) e.getValue()));
    }
  }

  public void onApprovalChange(Consumer<ApprovalRequest> listener) {
    approvalListeners.add(listener);
  }

  public void setPolicy(Policy p) {
    this.policy = p;
  }

  public Policy policy() {
    return policy;
  }

  public AuditLog audit() {
    return audit;
  }

  public ApprovalStore approvals() {
    return approvals;
  }

  public GrantStore grants() {
    return grants;
  }

  public InstantSource clock() {
    return clock;
  }

  public boolean quarantined() {
    return quarantined;
  }

  // ---------------------------------------------------------------------------------------------

  /** Decides without acting or recording: what {@link #submit} would decide now (dry runs, UI). */
  public Decision decide(Action action, SessionContext session) {
    try {
      Normalizer.Normalized n = normalizer.normalize(action, session);
      return decideNormalized(n, session);
    } catch (WardenSecurityException e) {
      return new Decision.Deny("normalise", "denied: " + e.getMessage());
    }
  }

  public Submission submit(Action action, SessionContext session) {
    Normalizer.Normalized n;
    Decision d;
    try {
      n = normalizer.normalize(action, session);
      d = decideNormalized(n, session);
    } catch (WardenSecurityException e) {
      n = new Normalizer.Normalized(action, Map.of());
      d = new Decision.Deny("normalise", "denied: " + e.getMessage());
    }
    Action a = n.action();
    String approvalId = d instanceof Decision.Ask ? newId("apr") : null;
    try {
      Map<String, Object> body = decisionBody(a, d, session.label(), n.facts());
      if (approvalId != null) {
        body.put("approval_id", approvalId);
      }
      audit.append(AuditRecord.Type.DECISION, session.id(), session.principal().qualified(), body);
    } catch (AuditException e) {
      return new Submission.Denied(new Decision.Deny("audit-unavailable",
          "denied: the audit log cannot be written (" + e.getMessage() + "); nothing runs unrecorded"));
    }
    return switch (d) {
      case Decision.Allow allow -> execute(a, session, allow);
      case Decision.Deny deny -> new Submission.Denied(deny);
      case Decision.Ask ask -> park(approvalId, a, session, ask);
    };
  }

  /**
   * Decides and records an effect that a component outside the kernel's executors performs itself
   * (the egress proxy forwarding a sandboxed request). Same steps as {@link #submit} up to the
   * record; nothing is executed here. An Ask is filed as an approval request: since the caller
   * cannot wait, granting it leaves a standing grant for that session (for "this once", ten
   * minutes) so that the retried request passes.
   */
  public Decision authorize(Action action, SessionContext session) {
    Normalizer.Normalized n;
    Decision d;
    try {
      n = normalizer.normalize(action, session);
      d = decideNormalized(n, session);
    } catch (WardenSecurityException e) {
      n = new Normalizer.Normalized(action, Map.of());
      d = new Decision.Deny("normalise", "denied: " + e.getMessage());
    }
    String approvalId = d instanceof Decision.Ask ? newId("apr") : null;
    try {
      Map<String, Object> body = decisionBody(n.action(), d, session.label(), n.facts());
      if (approvalId != null) {
        body.put("approval_id", approvalId);
      }
      audit.append(AuditRecord.Type.DECISION, session.id(), session.principal().qualified(), body);
    } catch (AuditException e) {
      return new Decision.Deny("audit-unavailable",
          "denied: the audit log cannot be written (" + e.getMessage() + "); nothing runs unrecorded");
    }
    if (d instanceof Decision.Ask ask) {
      park(approvalId, n.action(), session, ask);
      external.add(approvalId);
      return new Decision.Ask(ask.rule(), ask.reason() + " (approval " + approvalId + "; retry after it is granted)",
          ask.sources(), ask.grantScopes());
    }
    return d;
  }

  /** Approvals filed by {@link #authorize}: their grant is a standing grant, not an execution. */
  private final java.util.Set<String> external = ConcurrentHashMap.newKeySet();

  /** How long a "this once" grant of an {@link #authorize}d request lets the retry pass. */
  public static final Duration EXTERNAL_ONCE_GRANT = Duration.ofMinutes(10);

  private Decision decideNormalized(Normalizer.Normalized n, SessionContext session) {
    Map<String, Object> facts = new LinkedHashMap<>(n.facts());
    facts.put(Facts.QUARANTINED, quarantined);
    PolicyRequest req = new PolicyRequest(n.action(), session.principal(), session.label(), session.capabilities(), facts);
    Decision d = quarantined ? Policy.DENY_ALL.decide(req) : policy.decide(req);
    if (d instanceof Decision.Ask ask) {
      Optional<Grant> g = grants.match(n.action(), session, clock.instant());
      if (g.isPresent()) {
        return new Decision.Allow("grant:" + g.get().id(),
            "allowed by the owner's standing approval " + g.get().approvalId() + " (" + ask.reason() + ")", ask.sources());
      }
    }
    return d;
  }

  @SuppressWarnings("unchecked")
  private Submission execute(Action a, SessionContext session, Decision decision) {
    ActionExecutor<Action> ex = (ActionExecutor<Action>) executors.get(a.getClass());
    if (ex == null) {
      recordOutcome(a, session, "failed", Map.of("error", "no executor for " + a.kind()));
      return new Submission.Failed(decision, a.kind() + " is not available in this Warden (no executor registered)");
    }
    try {
      ActionExecutor.Result r = ex.execute(a, session);
      session.observe(r.content(), r.label());
      Map<String, Object> details = new LinkedHashMap<>(r.details());
      details.put("result_label", r.label().toString());
      details.put("result_chars", r.content().length());
      recordOutcome(a, session, "executed", details);
      return new Submission.Executed(decision, r);
    } catch (Exception e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      recordOutcome(a, session, "failed", Map.of("error", msg));
      return new Submission.Failed(decision, msg);
    }
  }

  private void recordOutcome(Action a, SessionContext session, String status, Map<String, Object> details) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", a.kind());
    body.put("resource", a.resource());
    body.put("status", status);
    body.putAll(details);
    try {
      audit.append(AuditRecord.Type.OUTCOME, session.id(), session.principal().qualified(), body);
    } catch (AuditException e) {
      // The decision is recorded; an outcome that cannot be appended is reported by the next
      // append failing too, which refuses further actions.
    }
  }

  private Submission park(String id, Action a, SessionContext session, Decision.Ask ask) {
    Instant now = clock.instant();
    ApprovalRequest req = new ApprovalRequest(id, session.id(), session.principal().qualified(), a.kind(), a.resource(),
        a.describe(), ask.reason(), ask.rule(), ask.sources(), a.auditFields(), diffFor(a), ask.grantScopes(),
        now, now.plus(approvalTtl), ApprovalRequest.Status.PENDING, null, null,
        a.kind() + "|" + a.resource() + "|" + session.id());
    CompletableFuture<Submission> future = new CompletableFuture<>();
    parked.put(id, new Parked(a, session, ask, future));
    approvals.save(req);
    notifyApproval(req);
    return new Submission.Pending(ask, id, future);
  }

  private static String diffFor(Action a) {
    return switch (a) {
      case Action.FileWrite w -> LineDiff.unified(w.path(), w.previousContentOrNull() == null ? "" : w.previousContentOrNull(), w.content());
      case Action.MemoryWrite m -> LineDiff.unified(m.file(), "", m.text());
      default -> null;
    };
  }

  /**
   * The owner (or operator) answers an approval request. The answer is itself an action: decided
   * (only owner and operator may answer) and recorded. On a grant the parked action runs now.
   *
   * @return the answered request
   * @throws WardenSecurityException if there is no such pending request or the answer is refused
   */
  public ApprovalRequest answer(String approvalId, boolean granted, GrantScope scope, Duration durationOrNull,
      SessionContext answering) throws WardenSecurityException {
    expireDue();
    ApprovalRequest req = approvals.get(approvalId).orElseThrow(() ->
        new WardenSecurityException("no approval request " + approvalId + "; list them with `warden approvals list`"));
    if (!req.pending()) {
      throw new WardenSecurityException("approval " + approvalId + " is already " + req.status().name().toLowerCase());
    }
    if (granted && !parked.containsKey(approvalId)) {
      // Parked by another process (a one-shot `warden run`, or a gateway that has since stopped):
      // nothing here can carry it out, so say so instead of pretending it ran.
      ApprovalRequest gone = req.withStatus(ApprovalRequest.Status.CANCELLED, answering.principal().qualified(), clock.instant());
      approvals.save(gone);
      notifyApproval(gone);
      recordEvent("approval", "orphaned", req.sessionId(), Map.of("approval_id", approvalId, "action", req.actionKind()));
      throw new WardenSecurityException("approval " + approvalId + " cannot be granted here: the process that parked the action"
          + " (session " + req.sessionId() + ") is not running in this process any more, so it was cancelled; answer"
          + " approvals through the running gateway (`warden approvals` uses it when one is running)");
    }
    Action.ApprovalAnswer answer = new Action.ApprovalAnswer(approvalId, granted, scope, durationOrNull);
    Submission s = submit(answer, answering);
    if (!(s instanceof Submission.Executed)) {
      throw new WardenSecurityException("your answer was refused: " + s.decision().reason());
    }
    Instant now = clock.instant();
    ApprovalRequest done = req.withStatus(granted ? ApprovalRequest.Status.GRANTED : ApprovalRequest.Status.DENIED,
        answering.principal().qualified(), now);
    approvals.save(done);
    notifyApproval(done);
    Parked p = parked.remove(approvalId);
    if (p == null) {
      return done;
    }
    if (external.remove(approvalId)) {
      if (granted) {
        Instant until = scope == GrantScope.SESSION ? null
            : now.plus(scope == GrantScope.FOR_DURATION ? durationOrNull : EXTERNAL_ONCE_GRANT);
        grants.add(new Grant(newId("grt"), p.action.kind(), p.action.resource(),
            scope == GrantScope.FOR_DURATION ? null : p.session.id(), until, approvalId));
      }
      p.future.complete(granted
          ? new Submission.Denied(new Decision.Deny("approval-granted-retry", "granted; the request passes when retried"))
          : new Submission.Denied(new Decision.Deny("owner-denied", "denied by " + answering.principal().qualified())));
      return done;
    }
    if (!granted) {
      p.future.complete(new Submission.Denied(new Decision.Deny("owner-denied",
          "denied by " + answering.principal().qualified() + " (approval " + approvalId + ")", p.decision.sources())));
      return done;
    }
    if (scope != GrantScope.ONCE) {
      grants.add(new Grant(newId("grt"), p.action.kind(), p.action.resource(),
          scope == GrantScope.SESSION ? p.session.id() : null,
          scope == GrantScope.FOR_DURATION ? now.plus(durationOrNull) : null, approvalId));
    }
    Decision.Allow allow = new Decision.Allow("approval:" + approvalId,
        "approved by " + answering.principal().qualified() + " (" + scope.label(durationOrNull) + ")", p.decision.sources());
    Submission result = execute(p.action, p.session, allow);
    p.future.complete(result);
    return done;
  }

  /**
   * Answers every pending request of a group at once (same kind of action toward the same
   * resource in the same session), so a burst of similar asks is one decision for the owner.
   *
   * @return the requests answered
   */
  public java.util.List<ApprovalRequest> answerGroup(String groupKey, boolean granted, GrantScope scope, Duration durationOrNull,
      SessionContext answering) throws WardenSecurityException {
    java.util.List<ApprovalRequest> members = approvals.pending().stream().filter(r -> r.groupKey().equals(groupKey)).toList();
    if (members.isEmpty()) {
      throw new WardenSecurityException("no pending approvals in group " + groupKey);
    }
    java.util.List<ApprovalRequest> done = new java.util.ArrayList<>();
    for (ApprovalRequest r : members) {
      done.add(answer(r.id(), granted, scope, durationOrNull, answering));
    }
    return done;
  }

  /** Executes the grant/deny of {@link Action.ApprovalAnswer} (the bookkeeping is in {@link #answer}). */
  private static final ActionExecutor<Action.ApprovalAnswer> ANSWER_EXECUTOR =
      (a, s) -> ActionExecutor.Result.of(a.granted() ? "granted" : "denied", Label.owner());

  {
    executors.put(Action.ApprovalAnswer.class, ANSWER_EXECUTOR);
  }

  /** Denies every pending request whose time has run out. Cheap; call it often. */
  public void expireDue() {
    Instant now = clock.instant();
    for (ApprovalRequest r : approvals.pending()) {
      if (!now.isBefore(r.expires())) {
        ApprovalRequest done = r.withStatus(ApprovalRequest.Status.EXPIRED, "system:expiry", now);
        approvals.save(done);
        recordEvent("approval", "expired", null, Map.of("approval_id", r.id(), "action", r.actionKind()));
        notifyApproval(done);
        Parked p = parked.remove(r.id());
        if (p != null) {
          p.future.complete(new Submission.Denied(new Decision.Deny("approval-expired",
              "denied: nobody answered approval " + r.id() + " before it expired", p.decision.sources())));
        }
      }
    }
  }

  /** Cancels every pending request (quarantine). */
  public int cancelAllPending(String why) {
    int n = 0;
    Instant now = clock.instant();
    for (ApprovalRequest r : approvals.pending()) {
      approvals.save(r.withStatus(ApprovalRequest.Status.CANCELLED, "system:" + why, now));
      Parked p = parked.remove(r.id());
      if (p != null) {
        p.future.complete(new Submission.Denied(new Decision.Deny("approval-cancelled",
            "denied: approval " + r.id() + " was cancelled (" + why + ")", p.decision.sources())));
      }
      n++;
    }
    return n;
  }

  public void setQuarantined(boolean on, String reason) {
    this.quarantined = on;
    recordEvent("containment", on ? "quarantine" : "release", null, Map.of("reason", reason));
  }

  /** Appends a non-action event (gateway, channel, skill, credential…). Never throws. */
  public void recordEvent(String category, String name, String sessionOrNull, Map<String, Object> fields) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("category", category);
    body.put("name", name);
    body.putAll(fields);
    try {
      audit.append(AuditRecord.Type.EVENT, sessionOrNull, "system:warden", body);
    } catch (AuditException e) {
      System.err.println("warden: could not record event " + category + "/" + name + ": " + e.getMessage());
    }
  }

  private void notifyApproval(ApprovalRequest r) {
    for (Consumer<ApprovalRequest> l : approvalListeners) {
      try {
        l.accept(r);
      } catch (RuntimeException ignored) {
        // listeners must not break approvals
      }
    }
  }

  static Map<String, Object> decisionBody(Action a, Decision d, Label label, Map<String, Object> facts) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", a.kind());
    body.put("resource", a.resource());
    body.put("fields", a.auditFields());
    body.put("verdict", d.verdict());
    body.put("rule", d.rule());
    body.put("reason", d.reason());
    body.put("sources", new ArrayList<>(d.sources()));
    body.put("label", label.toString());
    body.put("facts", new LinkedHashMap<>(facts));
    return body;
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  static String newId(String prefix) {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return prefix + "-" + java.util.HexFormat.of().formatHex(b);
  }
}
