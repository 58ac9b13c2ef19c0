package dev.warden.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.agent.ActionReport;
import dev.warden.agent.AgentSession;
import dev.warden.agent.TurnListener;
import dev.warden.agent.TurnResult;
import dev.warden.kernel.ApprovalRequest;
import dev.warden.kernel.GrantScope;
import dev.warden.kernel.Label;
import dev.warden.kernel.Principal;
import dev.warden.kernel.SessionContext;
import dev.warden.kernel.WardenSecurityException;
import dev.warden.kernel.audit.AuditHead;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.kernel.audit.AuditVerifier;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The gateway: HTTP API, WebSocket chat and the dashboard, on 127.0.0.1 by default.
 *
 * <h2>Design notes</h2>
 * <b>Threats</b> (catalogue item 6). Every route but the login page, its assets and
 * {@code POST /api/login} needs the session cookie or a bearer token. A token in a URL query is
 * refused and audited. State-changing requests from a browser session must carry the CSRF header
 * issued at login and an Origin equal to the gateway's own; there are no CORS headers, so other
 * origins cannot read responses. WebSocket upgrades need the session cookie and the same Origin.
 * Failed logins are rate-limited per client address and audited.
 *
 * <p><b>Concurrency.</b> Turns run on a small worker pool; one turn at a time per session.
 */
public final class GatewayServer implements AutoCloseable {

  /** Largest request body accepted (a chat message, an approval answer). */
  public static final long MAX_REQUEST_BYTES = 256 * 1024;
  /** Turns that may run at once. */
  public static final int MAX_CONCURRENT_TURNS = 4;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WardenRuntime rt;
  private final GatewayAuth auth;
  private final Javalin app;
  private final Set<WsContext> sockets = ConcurrentHashMap.newKeySet();
  private final ExecutorService turns = Executors.newFixedThreadPool(MAX_CONCURRENT_TURNS, r -> {
    Thread t = new Thread(r, "warden-turn");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Object> sessionLocks = new ConcurrentHashMap<>();
  private final String bind;
  private volatile String origin;

  public GatewayServer(WardenRuntime rt, GatewayAuth auth, String bind) {
    this.rt = rt;
    this.auth = auth;
    this.bind = bind;
    rt.kernel().onApprovalChange(this::broadcastApproval);
    rt.messages().onNotice(m -> broadcast(Map.of("type", "notice", "channel", m.channel(), "text", m.text())));
    rt.messages().onSent(m -> {
      if (m.recipient().equals("owner")) {
        broadcast(Map.of("type", "notice", "channel", m.channel(), "text", m.text(), "session", m.session()));
      }
    });
    this.app = Javalin.create(config -> {
      config.http.maxRequestSize = MAX_REQUEST_BYTES;
      config.startup.showJavalinBanner = false;
      config.staticFiles.add(sf -> {
        sf.hostedPath = "/static";
        sf.directory = "/web";
        sf.location = Location.CLASSPATH;
      });
      config.routes.before(this::guard);
      config.routes.get("/", ctx -> ctx.redirect("/static/index.html"));
      config.routes.get("/login", ctx -> ctx.redirect("/static/login.html"));
      config.routes.get("/favicon.ico", ctx -> ctx.status(204));
      config.routes.post("/api/login", this::login);
      config.routes.post("/api/logout", this::logout);
      config.routes.get("/api/status", this::status);
      config.routes.get("/api/sessions", this::sessions);
      config.routes.get("/api/sessions/{id}/messages", this::messages);
      config.routes.post("/api/sessions/{id}/messages", this::postMessage);
      config.routes.get("/api/approvals", this::approvals);
      config.routes.post("/api/approvals/group/grant", ctx -> answerGroup(ctx, true));
      config.routes.post("/api/approvals/group/deny", ctx -> answerGroup(ctx, false));
      config.routes.post("/api/approvals/{id}/grant", ctx -> answer(ctx, true));
      config.routes.post("/api/approvals/{id}/deny", ctx -> answer(ctx, false));
      config.routes.post("/api/quarantine", this::quarantine);
      config.routes.post("/api/release", this::release);
      config.routes.get("/api/alerts", this::alerts);
      config.routes.get("/api/memory/review", this::memoryReview);
      config.routes.post("/api/memory/{id}/promote", ctx -> memoryAnswer(ctx, true));
      config.routes.post("/api/memory/{id}/delete", ctx -> memoryAnswer(ctx, false));
      config.routes.get("/api/audit", this::audit);
      config.routes.get("/api/audit/verify", this::verify);
      config.routes.wsBeforeUpgrade("/ws", this::guardUpgrade);
      config.routes.ws("/ws", ws -> {
        ws.onConnect(ctx -> {
          ctx.session.setIdleTimeout(Duration.ofHours(1));
          sockets.add(ctx);
        });
        ws.onClose(ctx -> sockets.remove(ctx));
        ws.onError(ctx -> sockets.remove(ctx));
        ws.onMessage(ctx -> onSocketMessage(ctx, ctx.message()));
      });
      config.routes.exception(Exception.class, (e, ctx) -> ctx.status(500).json(Map.of("error", String.valueOf(e.getMessage()))));
    });
  }

  public GatewayServer start(int port) {
    app.start(bind, port);
    origin = "http://" + (bind.contains(":") ? "[" + bind + "]" : bind) + ":" + app.port();
    rt.kernel().recordEvent("gateway", "start", null, Map.of("bind", bind, "port", app.port()));
    return this;
  }

  public int port() {
    return app.port();
  }

  public String origin() {
    return origin;
  }

  // --- security -------------------------------------------------------------------------------

  private static boolean publicPath(String path) {
    return path.equals("/") || path.equals("/login") || path.startsWith("/static/") || path.equals("/api/login")
        || path.equals("/favicon.ico");
  }

  private void guard(Context ctx) {
    if (ctx.queryParam("token") != null || ctx.queryParam("access_token") != null) {
      rt.kernel().recordEvent("gateway", "token_in_url_refused", null, Map.of("path", ctx.path(), "client", ctx.ip()));
      ctx.status(400).json(Map.of("error", "tokens are never accepted in a URL; send `Authorization: Bearer …` or log in"));
      ctx.skipRemainingHandlers();
      return;
    }
    String path = ctx.path();
    if (publicPath(path) || path.equals("/ws")) {
      return;
    }
    String bearer = bearer(ctx);
    if (bearer != null) {
      if (auth.isOperatorToken(bearer) || auth.tokenMatches(bearer)) {
        return;
      }
      deny(ctx, 401, "invalid token");
      return;
    }
    Optional<GatewayAuth.WebSession> s = auth.session(ctx.cookie(GatewayAuth.COOKIE));
    if (s.isEmpty()) {
      deny(ctx, 401, "not logged in");
      return;
    }
    if (!ctx.method().name().equals("GET")) {
      String o = ctx.header("Origin");
      if (o == null || !o.equals(origin)) {
        rt.kernel().recordEvent("gateway", "cross_origin_refused", null, Map.of("path", path, "origin", String.valueOf(o)));
        deny(ctx, 403, "cross-origin request refused");
        return;
      }
      if (!s.get().csrf().equals(ctx.header(GatewayAuth.CSRF_HEADER))) {
        rt.kernel().recordEvent("gateway", "csrf_refused", null, Map.of("path", path));
        deny(ctx, 403, "missing or wrong " + GatewayAuth.CSRF_HEADER + " header");
      }
    }
  }

  private void guardUpgrade(Context ctx) {
    String o = ctx.header("Origin");
    Optional<GatewayAuth.WebSession> s = auth.session(ctx.cookie(GatewayAuth.COOKIE));
    String bearer = bearer(ctx);
    boolean tokenOk = bearer != null && (auth.tokenMatches(bearer) || auth.isOperatorToken(bearer));
    if (!tokenOk && (s.isEmpty() || o == null || !o.equals(origin))) {
      rt.kernel().recordEvent("gateway", "websocket_refused", null,
          Map.of("origin", String.valueOf(o), "authenticated", s.isPresent(), "client", ctx.ip()));
      deny(ctx, s.isEmpty() ? 401 : 403, s.isEmpty() ? "not logged in" : "cross-origin WebSocket refused");
    }
  }

  private static void deny(Context ctx, int status, String why) {
    ctx.status(status).json(Map.of("error", why));
    ctx.skipRemainingHandlers();
  }

  private static String bearer(Context ctx) {
    String h = ctx.header("Authorization");
    return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : null;
  }

  private void login(Context ctx) throws IOException {
    String client = ctx.ip();
    if (auth.lockedOut(client)) {
      rt.kernel().recordEvent("gateway", "login_locked_out", null, Map.of("client", client));
      ctx.status(429).json(Map.of("error", "too many failed logins; wait a minute"));
      return;
    }
    Map<?, ?> body = JSON.readValue(ctx.body(), Map.class);
    String token = body.get("token") == null ? null : body.get("token").toString();
    if (!auth.tokenMatches(token)) {
      auth.recordFailure(client);
      rt.kernel().recordEvent("gateway", "login_failed", null, Map.of("client", client));
      ctx.status(401).json(Map.of("error", "wrong token"));
      return;
    }
    GatewayAuth.WebSession s = auth.newSession();
    ctx.header("Set-Cookie", GatewayAuth.COOKIE + "=" + s.id() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
        + GatewayAuth.SESSION_TTL.toSeconds());
    rt.kernel().recordEvent("gateway", "login", null, Map.of("client", client));
    ctx.json(Map.of("csrf", s.csrf()));
  }

  private void logout(Context ctx) {
    auth.logout(ctx.cookie(GatewayAuth.COOKIE));
    ctx.header("Set-Cookie", GatewayAuth.COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    ctx.json(Map.of("ok", true));
  }

  // --- API ------------------------------------------------------------------------------------

  private void status(Context ctx) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("home", rt.home().root().toString());
    m.put("model", rt.modelSpec().startsWith("scripted:") ? "scripted" : rt.modelSpec());
    m.put("sandbox", rt.config().sandbox());
    m.put("quarantine_file", rt.containment().active());
    m.put("sandbox_warning", rt.config().insecureHostSandbox()
        ? "UNPROTECTED: sandbox: host runs commands directly on this machine (every use is audited)" : null);
    m.put("quarantined", rt.kernel().quarantined());
    m.put("allow_hosts", rt.config().allowHosts());
    m.put("pending_approvals", rt.kernel().approvals().pending().size());
    m.put("audit_head", rt.audit().headSeq());
    m.put("policy_rules", rt.policy().rules().size());
    ctx.json(m);
  }

  private void sessions(Context ctx) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (var s : rt.sessions().recentSessions(50)) {
      out.add(Map.of("id", s.id(), "title", s.title(), "channel", s.channel(), "label", s.label().toString(),
          "tainted", s.label().isTainted(), "updated", s.updated().toString()));
    }
    ctx.json(out);
  }

  private void messages(Context ctx) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (var m : rt.sessions().messages(ctx.pathParam("id"))) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("role", m.role());
      o.put("content", m.content());
      o.put("tool_calls", m.toolCallsJsonOrNull());
      o.put("label", m.label().toString());
      o.put("time", m.time().toString());
      out.add(o);
    }
    ctx.json(out);
  }

  private void postMessage(Context ctx) throws Exception {
    Map<?, ?> body = JSON.readValue(ctx.body(), Map.class);
    Object text = body.get("text");
    if (text == null || text.toString().isBlank()) {
      ctx.status(400).json(Map.of("error", "body must be {\"text\": \"…\"}"));
      return;
    }
    TurnResult r = runTurn(ctx.pathParam("id"), text.toString());
    ctx.json(turnJson(r));
  }

  private void approvals(Context ctx) {
    rt.kernel().expireDue();
    String status = ctx.queryParam("status");
    List<ApprovalRequest> list = "all".equals(status) ? rt.kernel().approvals().recent(100) : rt.kernel().approvals().pending();
    ctx.json(list.stream().map(GatewayServer::approvalJson).toList());
  }

  /** The scope an answer's body asks for ({@code once} by default); null after a 400 was sent. */
  private record Scope(GrantScope scope, Duration durationOrNull) {}

  private static Scope scope(Context ctx, Map<?, ?> body) {
    GrantScope scope = GrantScope.ONCE;
    Object sc = body.get("scope");
    if (sc != null) {
      try {
        scope = GrantScope.valueOf(sc.toString().toUpperCase());
      } catch (IllegalArgumentException e) {
        ctx.status(400).json(Map.of("error", "scope must be once, session or for_duration"));
        return null;
      }
    }
    Duration d = null;
    if (scope == GrantScope.FOR_DURATION) {
      Object mins = body.get("minutes");
      d = Duration.ofMinutes(mins instanceof Number n && n.longValue() > 0 ? n.longValue() : 30);
    }
    return new Scope(scope, d);
  }

  private SessionContext answering(Context ctx) {
    boolean operator = auth.isOperatorToken(bearer(ctx));
    return new SessionContext("gateway-" + (operator ? "operator" : "owner"), operator ? Principal.operator() : Principal.owner(),
        Set.of(), Label.owner());
  }

  private void answer(Context ctx, boolean grant) throws Exception {
    Map<?, ?> body = ctx.body().isBlank() ? Map.of() : JSON.readValue(ctx.body(), Map.class);
    Scope sc = scope(ctx, body);
    if (sc == null) {
      return;
    }
    try {
      ApprovalRequest r = rt.kernel().answer(ctx.pathParam("id"), grant, sc.scope(), sc.durationOrNull(), answering(ctx));
      ctx.json(approvalJson(r));
    } catch (WardenSecurityException e) {
      ctx.status(409).json(Map.of("error", e.getMessage()));
    }
  }

  private void answerGroup(Context ctx, boolean grant) throws Exception {
    Map<?, ?> body = ctx.body().isBlank() ? Map.of() : JSON.readValue(ctx.body(), Map.class);
    Scope sc = scope(ctx, body);
    if (sc == null) {
      return;
    }
    Object group = body.get("group");
    if (group == null) {
      ctx.status(400).json(Map.of("error", "body must name the \"group\" to answer"));
      return;
    }
    try {
      List<ApprovalRequest> done = rt.kernel().answerGroup(group.toString(), grant, sc.scope(), sc.durationOrNull(), answering(ctx));
      ctx.json(done.stream().map(GatewayServer::approvalJson).toList());
    } catch (WardenSecurityException e) {
      ctx.status(409).json(Map.of("error", e.getMessage()));
    }
  }

  /** Memory written from tainted contexts, kept apart for the owner (issue: memory provenance). */
  private void memoryReview(Context ctx) {
    ctx.json(rt.memory().index().list(dev.warden.store.MemoryIndex.Status.REVIEW, 200).stream().map(e -> Map.of(
        "id", e.id(), "file", e.file(), "text", e.text(), "label", e.label().toString(),
        "sources", List.copyOf(e.label().untrustedSources()), "session", String.valueOf(e.sessionOrNull()),
        "created", e.created().toString())).toList());
  }

  private void memoryAnswer(Context ctx, boolean promote) throws Exception {
    String id = ctx.pathParam("id");
    try {
      if (promote) {
        rt.memory().promote(id);
      } else {
        rt.memory().delete(id);
      }
    } catch (java.io.IOException e) {
      ctx.status(404).json(Map.of("error", e.getMessage()));
      return;
    }
    rt.kernel().recordEvent("memory", promote ? "promote" : "delete", null,
        Map.of("entry", id, "by", answering(ctx).principal().qualified()));
    ctx.json(Map.of("id", id, "status", promote ? "promoted" : "deleted"));
  }

  private void alerts(Context ctx) throws Exception {
    if (rt.monitorOrNull() == null) {
      ctx.json(List.of());
      return;
    }
    ctx.json(rt.monitorOrNull().recentAlerts(100).stream().map(a -> Map.of("id", a.id(), "rule", a.rule(),
        "severity", a.severity().toString(), "title", a.title(), "detail", a.detail(), "count", a.count(),
        "last_seen", a.lastSeen().toString())).toList());
  }

  private void quarantine(Context ctx) throws Exception {
    Map<?, ?> body = ctx.body().isBlank() ? Map.of() : JSON.readValue(ctx.body(), Map.class);
    String reason = body.get("reason") == null ? "quarantined from the dashboard" : body.get("reason").toString();
    Containment.Report r = rt.containment().quarantine(reason, answering(ctx).principal().qualified());
    ctx.json(Map.of("quarantined", true, "credentials_suspended", r.credentials(), "approvals_cancelled", r.approvalsCancelled(),
        "forensic_snapshot", String.valueOf(r.snapshotOrNull()), "notes", r.notes()));
  }

  private void release(Context ctx) throws Exception {
    Containment.Report r = rt.containment().release(answering(ctx).principal().qualified());
    ctx.json(Map.of("quarantined", false, "credentials_resumed", r.credentials(), "notes", r.notes()));
  }

  private void audit(Context ctx) throws Exception {
    long after = ctx.queryParam("after") == null ? -1 : Long.parseLong(ctx.queryParam("after"));
    int limit = ctx.queryParam("limit") == null ? 100 : Math.min(1000, Integer.parseInt(ctx.queryParam("limit")));
    String session = ctx.queryParam("session");
    List<AuditRecord> rs;
    if (session != null) {
      rs = new dev.warden.store.SqliteAuditStore(rt.db()).forSession(session, limit);
    } else if (after >= 0) {
      rs = rt.audit().store().after(after, limit);
    } else {
      rs = rt.audit().store().tail(limit);
    }
    ctx.json(rs.stream().map(GatewayServer::auditJson).toList());
  }

  private void verify(Context ctx) throws Exception {
    AuditVerifier.Result r = AuditVerifier.verify(rt.audit().store(), rt.audit().key().publicKey(),
        AuditHead.readOrNull(rt.home().auditHead()));
    ctx.json(Map.of("ok", r.ok(), "records", r.records(), "summary", r.summary()));
  }

  // --- chat -----------------------------------------------------------------------------------

  /** Runs one owner turn in session {@code id}, streaming to every connected socket. */
  public TurnResult runTurn(String id, String text) throws Exception {
    AgentSession s = rt.session(id, Principal.owner(), "web");
    synchronized (sessionLocks.computeIfAbsent(id, k -> new Object())) {
      return rt.loop().run(s, text, Label.owner(), new TurnListener() {
        @Override
        public void onTextDelta(String delta) {
          broadcast(Map.of("type", "delta", "session", id, "text", delta));
        }

        @Override
        public void onAction(ActionReport r) {
          broadcast(Map.of("type", "action", "session", id, "action", reportJson(r)));
        }

        @Override
        public void onReply(String reply) {
          broadcast(Map.of("type", "reply", "session", id, "text", reply, "label", s.context().label().toString()));
        }
      });
    }
  }

  private void onSocketMessage(WsContext ctx, String raw) {
    try {
      Map<?, ?> m = JSON.readValue(raw, Map.class);
      if ("message".equals(m.get("type")) && m.get("text") != null) {
        String session = m.get("session") == null ? "web-" + Long.toHexString(System.nanoTime()) : m.get("session").toString();
        String text = m.get("text").toString();
        broadcast(Map.of("type", "user", "session", session, "text", text));
        turns.submit(() -> {
          try {
            runTurn(session, text);
          } catch (Exception e) {
            broadcast(Map.of("type", "error", "session", session, "text", String.valueOf(e.getMessage())));
          }
        });
      }
    } catch (IOException e) {
      ctx.send("{\"type\":\"error\",\"text\":\"malformed message\"}");
    }
  }

  private void broadcastApproval(ApprovalRequest r) {
    broadcast(Map.of("type", "approval", "approval", approvalJson(r)));
  }

  private void broadcast(Map<String, Object> event) {
    String json;
    try {
      json = JSON.writeValueAsString(event);
    } catch (IOException e) {
      return;
    }
    for (WsContext s : sockets) {
      try {
        if (s.session.isOpen()) {
          s.send(json);
        }
      } catch (RuntimeException e) {
        sockets.remove(s);
      }
    }
  }

  static Map<String, Object> turnJson(TurnResult r) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("reply", r.reply());
    o.put("actions", r.actions().stream().map(GatewayServer::reportJson).toList());
    o.put("steps", r.steps());
    o.put("stop_reason", r.stopReason());
    return o;
  }

  static Map<String, Object> reportJson(ActionReport r) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("tool", r.tool());
    a.put("arguments", r.arguments());
    a.put("decision", r.decision());
    a.put("rule", r.rule());
    a.put("reason", r.reason());
    a.put("sources", r.sources());
    a.put("executed", r.executed());
    a.put("approval_id", r.approvalIdOrNull());
    a.put("result", r.result());
    return a;
  }

  static Map<String, Object> approvalJson(ApprovalRequest r) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("id", r.id());
    a.put("status", r.status().name().toLowerCase());
    a.put("session", r.sessionId());
    a.put("action", r.actionKind());
    a.put("resource", r.resource());
    a.put("description", r.description());
    a.put("reason", r.reason());
    a.put("rule", r.rule());
    a.put("sources", List.copyOf(r.sources()));
    a.put("diff", r.diffOrNull());
    a.put("scopes", r.scopes().stream().map(s -> s.name().toLowerCase()).toList());
    a.put("created", r.created().toString());
    a.put("expires", r.expires().toString());
    a.put("group", r.groupKey());
    return a;
  }

  static Map<String, Object> auditJson(AuditRecord r) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("seq", r.seq());
    a.put("time", r.time().toString());
    a.put("type", r.type());
    a.put("session", r.sessionOrNull());
    a.put("principal", r.principal());
    a.put("body", r.body());
    a.put("hash", r.hash());
    return a;
  }

  @Override
  public void close() {
    turns.shutdownNow();
    app.stop();
  }
}
