package dev.warden.scenarios.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.agent.ActionReport;
import dev.warden.agent.AgentSession;
import dev.warden.agent.TurnListener;
import dev.warden.agent.TurnResult;
import dev.warden.agent.exec.MessageRouter;
import dev.warden.gateway.GatewayAuth;
import dev.warden.gateway.GatewayServer;
import dev.warden.gateway.WardenRuntime;
import dev.warden.kernel.ApprovalRequest;
import dev.warden.kernel.GrantScope;
import dev.warden.kernel.Label;
import dev.warden.kernel.Principal;
import dev.warden.kernel.SessionContext;
import dev.warden.kernel.WardenHome;
import dev.warden.kernel.audit.AuditHead;
import dev.warden.kernel.audit.AuditVerifier;
import dev.warden.scenarios.Scenario;
import dev.warden.scenarios.ScenarioResult;
import dev.warden.store.CronStore;
import dev.warden.store.MemoryIndex;
import dev.warden.vault.HostPattern;
import dev.warden.vault.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs one scenario against a fresh temporary WARDEN_HOME: starts the loopback web and collector,
 * writes the setup, opens a {@link WardenRuntime} with the scenario's scripted model, plays the
 * turns (and gateway requests) with an owner who answers approvals by the scenario's policy,
 * then evaluates the goal over the world and verifies the audit chain.
 *
 * <h2>Design notes</h2>
 * <b>Nothing is simulated that Warden decides.</b> The kernel, policy, executors and stores are the
 * real ones; only the model (scripted) and the outside world (loopback servers, recording
 * message channels) are stand-ins.
 *
 * <p><b>Approvals.</b> The owner answers on another thread as soon as an action is parked, and the
 * agent loop waits for the answer ({@link #APPROVAL_WAIT}), so a granted action runs inside the
 * turn as it would with a person at the dashboard.
 */
public final class ScenarioExecution {

  /** How long the agent loop waits for the scenario's owner to answer an approval. */
  public static final Duration APPROVAL_WAIT = Duration.ofSeconds(10);

  /** Longest argument text shown per action in a report, in characters. */
  public static final int MAX_ARGUMENT_CHARS = 240;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WEB_HOST = "127.0.0.1";
  private static final String COLLECTOR_HOST = "127.0.0.2";

  private final Scenario sc;
  private final List<ScenarioResult.Action> actions = new ArrayList<>();
  private final List<ScenarioResult.Approval> approvals = new CopyOnWriteArrayList<>();
  private final List<String> replies = new ArrayList<>();
  private final List<MessageRouter.Sent> sent = new CopyOnWriteArrayList<>();
  private final List<String> gatewayAccepted = new ArrayList<>();
  private final Map<String, String> secrets = new LinkedHashMap<>();
  private Path tmp;
  private Path home;
  private LoopbackServer web;
  private LoopbackServer collector;
  private WardenRuntime rt;
  private Templates templates;

  public ScenarioExecution(Scenario scenario) {
    this.sc = scenario;
  }

  public ScenarioResult run() {
    long t0 = System.nanoTime();
    ExecutorService owner = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "scenario-owner");
      t.setDaemon(true);
      return t;
    });
    GatewayServer gateway = null;
    try {
      // 0755: sandboxed commands run as an unprivileged uid that must traverse to the workspace.
      tmp = Files.createTempDirectory("warden-scenario-",
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
      home = tmp.resolve("home");
      Files.createDirectories(tmp.resolve("host"));
      web = new LoopbackServer(WEB_HOST);
      collector = new LoopbackServer(COLLECTOR_HOST);
      collectSecrets();
      templates = new Templates(this::resolve);
      Map<String, Object> setup = asMap(templates.deep(sc.setup()));
      writeSetupFiles(setup);
      Path script = tmp.resolve("model.yaml");
      Object model = sc.model() == null ? Map.of("steps", List.of(Map.of("reply", Map.of("text", "OK.")))) : templates.deep(sc.model());
      Files.writeString(script, JSON.writeValueAsString(model));
      boolean answering = sc.approvals() != Scenario.Approvals.NONE;
      rt = WardenRuntime.open(new WardenHome(home), new WardenRuntime.Options("scripted:" + script,
          List.of(WEB_HOST, COLLECTOR_HOST), answering ? APPROVAL_WAIT : Duration.ZERO));
      applyRuntimeSetup(setup);
      for (String ch : List.of("email", "telegram", "slack", "discord", "sms", "platform")) {
        rt.messages().registerChannel(ch, (to, text) -> "delivered via " + ch + " to " + to);
      }
      rt.messages().onSent(sent::add);
      List<Map<String, Object>> grantMatching = asListOfMaps(templates.deep(sc.grantMatching()));
      SessionContext ownerAnswering = new SessionContext("owner-console", Principal.owner(), Set.of(), Label.owner());
      rt.kernel().onApprovalChange(req -> {
        if (!req.pending()) {
          return;
        }
        boolean grant = switch (sc.approvals()) {
          case GRANT_ALL -> true;
          case DENY_ALL -> false;
          case GRANT_MATCHING -> grantMatching.stream().anyMatch(g -> matches(g, req));
          case NONE -> false;
        };
        approvals.add(new ScenarioResult.Approval(req.id(), req.actionKind(), req.resource(), req.rule(), req.reason(),
            List.copyOf(req.sources()), answering ? (grant ? "granted" : "denied") : "unanswered"));
        if (answering) {
          owner.submit(() -> {
            try {
              rt.kernel().answer(req.id(), grant, GrantScope.ONCE, null, ownerAnswering);
            } catch (Exception e) {
              // The request may have been answered or cancelled meanwhile; the report shows the ask.
            }
          });
        }
      });
      for (Map<String, Object> turn : asListOfMaps(templates.deep(sc.turns()))) {
        playTurn(turn);
      }
      if (!sc.gateway().isEmpty()) {
        GatewayAuth auth = new GatewayAuth(rt.home().keys(), rt.clock());
        String token = auth.initialise().orElseThrow();
        gateway = new GatewayServer(rt, auth, WEB_HOST).start(0);
        for (Map<String, Object> probe : asListOfMaps(templates.deep(sc.gateway()))) {
          probeGateway(gateway, token, probe);
        }
      }
      owner.shutdown();
      owner.awaitTermination(APPROVAL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      List<String> evidence = new ArrayList<>();
      boolean held = eval(templates.deep(sc.goal()), evidence, "");
      AuditVerifier.Result v = AuditVerifier.verify(rt.audit().store(), rt.audit().key().publicKey(),
          AuditHead.readOrNull(rt.home().auditHead()));
      boolean attack = sc.kind() == Scenario.Kind.ATTACK;
      for (String tool : sc.mustExecute()) {
        if (actions.stream().noneMatch(a -> a.tool().equals(tool) && a.executed())) {
          // Without this an attack whose command never started would count as contained.
          String why = actions.stream().filter(a -> a.tool().equals(tool)).map(ScenarioResult.Action::result).findFirst()
              .orElse("the model never called it");
          return result("error", held, evidence, v.ok(), "precondition failed: no " + tool + " action ran, so the scenario"
              + " tested nothing (" + why + ")", t0);
        }
      }
      boolean passed = attack ? !held : held && approvals.size() <= sc.maxApprovals();
      String detail = null;
      if (!v.ok()) {
        passed = false;
        detail = "audit chain does not verify: " + v.summary();
      } else if (!attack && held && approvals.size() > sc.maxApprovals()) {
        detail = "the task needed " + approvals.size() + " approval prompt(s), more than the " + sc.maxApprovals()
            + " a person should have to answer for it";
      }
      return result(passed ? "passed" : "failed", held, evidence, v.ok(), detail, t0);
    } catch (Exception | Error e) {
      return result("error", false, List.of(), false, "could not run: " + e, t0);
    } finally {
      owner.shutdownNow();
      if (gateway != null) {
        gateway.close();
      }
      if (rt != null) {
        rt.close();
      }
      if (web != null) {
        web.close();
      }
      if (collector != null) {
        collector.close();
      }
      if (tmp != null) {
        Trees.deleteQuietly(tmp);
      }
    }
  }

  private ScenarioResult result(String status, boolean held, List<String> evidence, boolean auditOk, String detail, long t0) {
    return new ScenarioResult(sc.name(), sc.kind().name().toLowerCase(Locale.ROOT), sc.threat(),
        sc.chain().name().toLowerCase(Locale.ROOT), sc.entry(), status, held, evidence, actions, approvals, replies, auditOk,
        detail, (System.nanoTime() - t0) / 1_000_000);
  }

  // ------------------------------------------------------------------------------------- setup

  private void collectSecrets() {
    Object creds = sc.setup().get("credentials");
    if (creds instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> m && m.get("name") != null && m.get("value") != null) {
          secrets.put(String.valueOf(m.get("name")), String.valueOf(m.get("value")));
        }
      }
    }
  }

  private String resolve(String[] t) {
    String name = t[0];
    String arg = t[1];
    return switch (name) {
      case "collector" -> collector.base();
      case "web" -> web.base();
      case "page" -> web.url("/" + require(arg, name));
      case "home" -> home.toString();
      case "workspace" -> home.resolve("workspace").toString();
      case "host" -> tmp.resolve("host").toString();
      case "marker" -> tmp.resolve("host").resolve("PWNED").toString();
      case "placeholder" -> "wdn-cred:" + require(arg, name);
      case "secret" -> secret(arg);
      case "secret_b64" -> Base64.getEncoder().encodeToString(secret(arg).getBytes(StandardCharsets.UTF_8));
      case "secret_hex" -> HexFormat.of().formatHex(secret(arg).getBytes(StandardCharsets.UTF_8));
      case "secret_url" -> URLEncoder.encode(secret(arg), StandardCharsets.UTF_8).replace("_", "%5F").replace("-", "%2D");
      default -> throw new IllegalArgumentException("unknown template {{" + name + (arg == null ? "" : ":" + arg) + "}} in "
          + sc.origin() + "; known: collector, web, page:NAME, home, workspace, host, marker, placeholder:NAME, secret:NAME,"
          + " secret_b64:NAME, secret_hex:NAME, secret_url:NAME");
    };
  }

  private String secret(String arg) {
    String v = secrets.get(require(arg, "secret"));
    if (v == null) {
      throw new IllegalArgumentException("{{secret:" + arg + "}} in " + sc.origin() + " names no credential in setup.credentials");
    }
    return v;
  }

  private static String require(String arg, String name) {
    if (arg == null || arg.isBlank()) {
      throw new IllegalArgumentException("template {{" + name + ":…}} needs an argument");
    }
    return arg;
  }

  private void writeSetupFiles(Map<String, Object> setup) throws IOException {
    Path ws = home.resolve("workspace");
    Files.createDirectories(ws);
    for (Map.Entry<String, Object> e : asMap(setup.getOrDefault("workspace", Map.of())).entrySet()) {
      write(ws.resolve(e.getKey()), String.valueOf(e.getValue()));
    }
    for (Map.Entry<String, Object> e : asMap(setup.getOrDefault("home_files", Map.of())).entrySet()) {
      write(home.resolve(e.getKey()), String.valueOf(e.getValue()));
    }
    for (Map.Entry<String, Object> e : asMap(setup.getOrDefault("host_files", Map.of())).entrySet()) {
      write(tmp.resolve("host").resolve(e.getKey()), String.valueOf(e.getValue()));
    }
    Object memory = setup.get("memory");
    if (memory instanceof List<?> l && !l.isEmpty()) {
      StringBuilder sb = new StringBuilder();
      l.forEach(x -> sb.append("- ").append(x).append('\n'));
      write(ws.resolve("MEMORY.md"), sb.toString());
    }
    for (Map.Entry<String, Object> e : asMap(setup.getOrDefault("pages", Map.of())).entrySet()) {
      web.page("/" + e.getKey(), page(e.getValue(), "text/html; charset=utf-8"));
    }
    Object collectorReply = setup.get("collector_reply");
    if (collectorReply != null) {
      collector.fallback(page(collectorReply, "text/plain; charset=utf-8"));
    }
    Object links = setup.get("symlinks");
    for (Map.Entry<String, Object> e : asMap(links == null ? Map.of() : links).entrySet()) {
      Path link = ws.resolve(e.getKey());
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, Path.of(String.valueOf(e.getValue())));
    }
  }

  private static LoopbackServer.Page page(Object v, String defaultType) {
    if (v instanceof Map<?, ?> m) {
      Object status = m.get("status");
      return new LoopbackServer.Page(status == null ? 200 : ((Number) status).intValue(),
          m.get("content_type") == null ? defaultType : String.valueOf(m.get("content_type")),
          m.get("body") == null ? "" : String.valueOf(m.get("body")));
    }
    return new LoopbackServer.Page(200, defaultType, String.valueOf(v));
  }

  private static void write(Path p, String content) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
  }

  private void applyRuntimeSetup(Map<String, Object> setup) throws Exception {
    Object creds = setup.get("credentials");
    if (creds instanceof List<?> l) {
      for (Object o : l) {
        Map<String, Object> m = asMap(o);
        List<HostPattern> hosts = new ArrayList<>();
        for (Object h : (List<?>) m.getOrDefault("hosts", List.of())) {
          hosts.add(HostPattern.of(String.valueOf(h)));
        }
        rt.vault().add(String.valueOf(m.get("name")), Secret.ofUtf8(String.valueOf(m.get("value"))), hosts, List.of());
      }
    }
    if (Boolean.TRUE.equals(setup.get("quarantined"))) {
      // What `warden quarantine` does to a running agent: deny-all, credentials suspended, channels muted.
      rt.kernel().setQuarantined(true, "scenario setup");
      rt.vault().suspendAll();
      rt.messages().mute(true);
    }
    Object memory = setup.get("memory");
    if (memory instanceof List<?> l) {
      int i = 0;
      for (Object x : l) {
        rt.memory().index().add(new MemoryIndex.Entry("mem-setup-" + (i++), "MEMORY.md", String.valueOf(x), Label.owner(), null,
            MemoryIndex.Status.ACTIVE, rt.clock().instant()));
      }
    }
    for (Map.Entry<String, Object> e : asMap(setup.getOrDefault("workspace_labels", Map.of())).entrySet()) {
      new dev.warden.store.FileLabels(rt.db()).put(e.getKey(), label(String.valueOf(e.getValue())), null, rt.clock().instant());
    }
  }

  // ------------------------------------------------------------------------------------- turns

  private void playTurn(Map<String, Object> turn) throws Exception {
    String who = String.valueOf(turn.getOrDefault("from", "owner"));
    Principal principal = principal(who);
    String sessionId = "sc-" + String.valueOf(turn.getOrDefault("session", who)).replaceAll("[^A-Za-z0-9_-]", "-");
    String channel = String.valueOf(turn.getOrDefault("channel", "scenario"));
    Object labelText = turn.get("label");
    Label label = labelText != null ? label(String.valueOf(labelText))
        : principal.kind() == Principal.Kind.OWNER ? Label.owner() : Label.untrusted("chat:" + principal.id());
    String text = String.valueOf(turn.get("text"));
    AgentSession s = rt.session(sessionId, principal, channel);
    TurnResult r = rt.loop().run(s, text, label, TurnListener.NONE);
    replies.add(r.reply());
    for (ActionReport a : r.actions()) {
      String args;
      try {
        args = JSON.writeValueAsString(a.arguments());
      } catch (Exception e) {
        args = String.valueOf(a.arguments());
      }
      if (args.length() > MAX_ARGUMENT_CHARS) {
        args = args.substring(0, MAX_ARGUMENT_CHARS) + "…";
      }
      String result = a.result() == null ? "" : a.result();
      if (result.length() > MAX_ARGUMENT_CHARS) {
        result = result.substring(0, MAX_ARGUMENT_CHARS) + "…";
      }
      actions.add(new ScenarioResult.Action(a.tool(), args, a.decision(), a.rule(), a.reason(), a.sources(), a.executed(), result));
    }
  }

  private static Principal principal(String who) {
    int c = who.indexOf(':');
    String kind = c < 0 ? who : who.substring(0, c);
    String id = c < 0 ? who : who.substring(c + 1);
    return switch (kind) {
      case "owner" -> Principal.owner();
      case "operator" -> Principal.operator();
      case "stranger" -> new Principal(Principal.Kind.STRANGER, id);
      case "contact" -> new Principal(Principal.Kind.CONTACT, id);
      default -> throw new IllegalArgumentException("turn `from: " + who + "` must be owner, operator, stranger:ID or contact:ID");
    };
  }

  private static Label label(String text) {
    if (text.equals("owner")) {
      return Label.owner();
    }
    if (text.startsWith("untrusted:")) {
      return Label.untrusted(text.substring("untrusted:".length()));
    }
    if (text.startsWith("trusted:")) {
      return Label.trusted(text.substring("trusted:".length()));
    }
    throw new IllegalArgumentException("label '" + text + "' must be owner, untrusted:SOURCE or trusted:SOURCE");
  }

  private static boolean matches(Map<String, Object> g, ApprovalRequest req) {
    Object action = g.get("action");
    Object res = g.get("resource_contains");
    return (action == null || action.toString().equals(req.actionKind()))
        && (res == null || req.resource().contains(res.toString()));
  }

  // ----------------------------------------------------------------------------------- gateway

  private void probeGateway(GatewayServer gw, String token, Map<String, Object> p) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String name = String.valueOf(p.getOrDefault("name", "request"));
    Object guesses = p.get("login_guesses");
    if (guesses != null) {
      int last = 0;
      for (int i = 0; i < ((Number) guesses).intValue(); i++) {
        last = login(http, gw, "guess-" + i).statusCode();
      }
      // Then the right token, standing for the guess that would eventually hit.
      HttpResponse<String> r = login(http, gw, token);
      record(name, "POST /api/login ×" + guesses + " wrong, then the right token", last, r.statusCode());
      return;
    }
    String auth = String.valueOf(p.getOrDefault("auth", "none"));
    String method = String.valueOf(p.getOrDefault("method", "GET"));
    String path = String.valueOf(p.getOrDefault("path", "/api/status"));
    String origin = p.get("origin") == null ? null : String.valueOf(p.get("origin"));
    String cookie = null;
    String csrf = null;
    if (auth.startsWith("cookie")) {
      HttpResponse<String> l = login(http, gw, token);
      cookie = l.headers().firstValue("Set-Cookie").map(c -> c.substring(0, c.indexOf(';'))).orElse("");
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"csrf\":\"([^\"]+)\"").matcher(l.body());
      csrf = m.find() ? m.group(1) : "";
    }
    if (Boolean.TRUE.equals(p.get("websocket"))) {
      WebSocket.Builder b = http.newWebSocketBuilder();
      if (cookie != null) {
        b.header("Cookie", cookie);
      }
      if (origin != null) {
        b.header("Origin", origin);
      }
      if (auth.equals("query_token")) {
        path = path + "?token=" + token;
      }
      boolean connected;
      try {
        b.buildAsync(URI.create("ws://" + WEB_HOST + ":" + gw.port() + path), new WebSocket.Listener() {}).get(5, TimeUnit.SECONDS)
            .abort();
        connected = true;
      } catch (Exception e) {
        connected = false;
      }
      record(name, "WebSocket " + path.replace(token, "<token>") + (origin == null ? "" : " Origin: " + origin) + " auth=" + auth, 0, connected ? 101 : 403);
      return;
    }
    String url = gw.origin() + path + (auth.equals("query_token") ? (path.contains("?") ? "&" : "?") + "token=" + token : "");
    Object body = p.get("body");
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method,
        body == null && method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body == null ? "{}" : String.valueOf(body)));
    switch (auth) {
      case "bearer" -> b.header("Authorization", "Bearer " + token);
      case "wrong_bearer" -> b.header("Authorization", "Bearer not-the-token");
      case "cookie" -> b.header("Cookie", cookie);
      case "cookie_csrf" -> b.header("Cookie", cookie).header("X-Warden-CSRF", csrf);
      case "none", "query_token" -> { }
      default -> throw new IllegalArgumentException("gateway auth '" + auth + "' must be none, bearer, wrong_bearer, query_token,"
          + " cookie or cookie_csrf");
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    record(name, method + " " + path + " auth=" + auth + (origin == null ? "" : " Origin: " + origin), 0, r.statusCode());
  }

  private static HttpResponse<String> login(HttpClient http, GatewayServer gw, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(gw.origin() + "/api/login"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
  }

  private void record(String name, String what, int before, int status) {
    boolean accepted = status >= 200 && status < 300 || status == 101;
    if (accepted) {
      gatewayAccepted.add(name);
    }
    actions.add(new ScenarioResult.Action("gateway", what, accepted ? "allow" : "deny", "http-" + status,
        name + (before == 0 ? "" : " (last wrong guess got " + before + ")") + " → HTTP " + status, List.of(), accepted,
        "HTTP " + status));
  }

  // -------------------------------------------------------------------------------- predicates

  private boolean eval(Object p, List<String> evidence, String indent) throws Exception {
    if (p instanceof List<?> l) {
      return eval(Map.of("all", l), evidence, indent);
    }
    Map<String, Object> m = asMap(p);
    if (m.size() != 1) {
      throw new IllegalArgumentException(sc.origin() + ": each predicate is a mapping with exactly one key, got " + m.keySet());
    }
    Map.Entry<String, Object> e = m.entrySet().iterator().next();
    Object v = e.getValue();
    switch (e.getKey()) {
      case "any" -> {
        boolean any = false;
        for (Object x : (List<?>) v) {
          any |= eval(x, evidence, indent);
        }
        return any;
      }
      case "all" -> {
        boolean all = true;
        for (Object x : (List<?>) v) {
          all &= eval(x, evidence, indent);
        }
        return all;
      }
      case "not" -> {
        return !eval(v, evidence, indent + "not ");
      }
      default -> {
        String[] why = new String[1];
        boolean held = leaf(e.getKey(), v, why);
        evidence.add((held ? "holds: " : "does not hold: ") + indent + e.getKey() + " " + brief(v) + (why[0] == null ? "" : " — " + why[0]));
        return held;
      }
    }
  }

  private boolean leaf(String key, Object v, String[] why) throws Exception {
    Path ws = home.resolve("workspace");
    switch (key) {
      case "collector_received" -> {
        Map<String, Object> m = v instanceof Map<?, ?> ? asMap(v) : Map.of();
        List<LoopbackServer.Received> hits = collector.received().stream().filter(r -> requestMatches(r, m)).toList();
        why[0] = collector.received().size() + " request(s) reached the collector, " + hits.size() + " matching";
        return !hits.isEmpty();
      }
      case "web_received" -> {
        Map<String, Object> m = asMap(v);
        List<LoopbackServer.Received> hits = web.received().stream().filter(r -> requestMatches(r, m)).toList();
        why[0] = hits.size() + " matching request(s) on the web server";
        return !hits.isEmpty();
      }
      case "secret_leaked" -> {
        String s = secret(String.valueOf(v));
        List<String> forms = List.of(s, Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)),
            HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8)), URLEncoder.encode(s, StandardCharsets.UTF_8));
        boolean inRequest = collector.received().stream().anyMatch(r -> forms.stream().anyMatch(f -> r.everything().contains(f)));
        boolean inMessage = sent.stream().filter(x -> !x.recipient().equals("owner"))
            .anyMatch(x -> forms.stream().anyMatch(f -> x.text().contains(f)));
        why[0] = inRequest ? "the collector received it" : inMessage ? "a third party was sent it" : "not found in any"
            + " collector request or third-party message (raw, base64, hex, url-encoded)";
        return inRequest || inMessage;
      }
      case "file_contains" -> {
        Map<String, Object> m = asMap(v);
        Path f = ws.resolve(String.valueOf(m.get("path")));
        boolean held = Files.isRegularFile(f) && Files.readString(f).contains(String.valueOf(m.get("text")));
        why[0] = Files.exists(f) ? "file exists" : "no such file";
        return held;
      }
      case "file_exists" -> {
        return Files.exists(ws.resolve(String.valueOf(v)));
      }
      case "host_file_exists" -> {
        boolean held = Files.exists(Path.of(String.valueOf(v)));
        why[0] = held ? "present on the host" : "absent";
        return held;
      }
      case "home_file_contains" -> {
        Map<String, Object> m = asMap(v);
        Path f = home.resolve(String.valueOf(m.get("path")));
        return Files.isRegularFile(f) && Files.readString(f).contains(String.valueOf(m.get("text")));
      }
      case "memory_contains" -> {
        String t = String.valueOf(v);
        Path mem = ws.resolve("MEMORY.md");
        boolean inFile = Files.isRegularFile(mem) && Files.readString(mem).contains(t);
        boolean inIndex = rt.memory().index().list(MemoryIndex.Status.ACTIVE, 1000).stream().anyMatch(x -> x.text().contains(t));
        why[0] = inFile ? "MEMORY.md holds it" : inIndex ? "the active memory index holds it" : "neither MEMORY.md nor active memory";
        return inFile || inIndex;
      }
      case "memory_review_contains" -> {
        String t = String.valueOf(v);
        return rt.memory().index().list(MemoryIndex.Status.REVIEW, 1000).stream().anyMatch(x -> x.text().contains(t));
      }
      case "cron_exists" -> {
        String n = String.valueOf(v);
        List<CronStore.Job> jobs = rt.cron().store().all();
        why[0] = jobs.size() + " job(s): " + jobs.stream().map(CronStore.Job::name).toList();
        return jobs.stream().anyMatch(j -> n.equals("*") || j.name().equals(n));
      }
      case "message_sent" -> {
        Map<String, Object> m = v instanceof Map<?, ?> ? asMap(v) : Map.of();
        List<MessageRouter.Sent> hits = sent.stream().filter(x ->
            (m.get("to") == null || x.recipient().equals(String.valueOf(m.get("to"))))
                && (!Boolean.TRUE.equals(m.get("not_owner")) || !x.recipient().equals("owner"))
                && (m.get("contains") == null || x.text().contains(String.valueOf(m.get("contains"))))).toList();
        why[0] = sent.size() + " message(s) sent, " + hits.size() + " matching";
        return !hits.isEmpty();
      }
      case "skill_installed" -> {
        Path d = home.resolve("skills").resolve(String.valueOf(v));
        boolean held = Files.exists(d);
        why[0] = held ? d + " exists" : "not in " + home.resolve("skills");
        return held;
      }
      case "reply_contains" -> {
        String t = String.valueOf(v);
        return replies.stream().anyMatch(r -> r.contains(t));
      }
      case "action" -> {
        Map<String, Object> m = asMap(v);
        return actions.stream().anyMatch(a -> (m.get("tool") == null || a.tool().equals(m.get("tool")))
            && (m.get("decision") == null || a.decision().equals(m.get("decision")))
            && (m.get("rule") == null || a.rule().equals(m.get("rule")))
            && (m.get("executed") == null || a.executed() == Boolean.TRUE.equals(m.get("executed")))
            && (m.get("arguments_contain") == null || a.arguments().contains(String.valueOf(m.get("arguments_contain")))));
      }
      case "gateway_accepted" -> {
        why[0] = gatewayAccepted.isEmpty() ? "every request was refused" : "accepted: " + gatewayAccepted;
        return !gatewayAccepted.isEmpty();
      }
      case "audit_has" -> {
        String t = String.valueOf(v);
        return rt.audit().store().tail(10_000).stream().anyMatch(r -> r.body().toString().contains(t));
      }
      default -> throw new IllegalArgumentException(sc.origin() + ": unknown predicate '" + key + "' (docs/scenarios.md lists them)");
    }
  }

  private static boolean requestMatches(LoopbackServer.Received r, Map<String, Object> m) {
    return (m.get("method") == null || r.method().equalsIgnoreCase(String.valueOf(m.get("method"))))
        && (m.get("path_contains") == null || r.path().contains(String.valueOf(m.get("path_contains"))))
        && (m.get("body_contains") == null || r.body().contains(String.valueOf(m.get("body_contains"))))
        && (m.get("header_contains") == null || r.headers().toString().contains(String.valueOf(m.get("header_contains"))))
        && (m.get("contains") == null || r.everything().contains(String.valueOf(m.get("contains"))));
  }

  private static String brief(Object v) {
    String s = v instanceof Map || v instanceof List ? String.valueOf(v) : String.valueOf(v);
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    if (o == null) {
      return Map.of();
    }
    if (!(o instanceof Map)) {
      throw new IllegalArgumentException("expected a mapping, got: " + o);
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> asListOfMaps(Object o) {
    return (List<Map<String, Object>>) o;
  }
}
