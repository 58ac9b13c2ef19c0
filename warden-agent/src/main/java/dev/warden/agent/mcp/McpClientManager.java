package dev.warden.agent.mcp;

import dev.warden.agent.mcp.internal.CleanEnvStdioTransport;
import dev.warden.agent.mcp.internal.McpAgentTool;
import dev.warden.agent.mcp.internal.StdioLaunch;
import dev.warden.agent.mcp.internal.ToolDiff;
import dev.warden.agent.tools.ToolRegistry;
import dev.warden.kernel.Action;
import dev.warden.kernel.ActionExecutor;
import dev.warden.kernel.CanonicalJson;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.Label;
import dev.warden.kernel.SessionContext;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Connects to the approved MCP servers, offers their pinned tools to the model and executes
 * {@code tool_call} actions whose provider is {@code mcp:<server>}.
 *
 * <h2>Design notes</h2>
 * <b>Pinning.</b> On connect, on every {@code notifications/tools/list_changed} and every
 * {@link Options#refreshInterval()}, the server's tools are re-listed and each is compared with the
 * definition pinned at approval ({@link McpToolDefinition#sha256()}). Only tools listed exactly as
 * pinned are in the {@link ToolRegistry} and callable. A changed name, description or schema
 * disables the tool (removed from the registry, calls refused) and records the audit event {@code
 * mcp/tool_changed} with the diff; a tool never approved is not offered. Re-approval ({@link
 * #approve}) pins what the server lists now.
 *
 * <p><b>Threats.</b> The server is third-party code and its text is untrusted: stdio servers run in
 * the sandbox ({@link McpSandboxMode#BWRAP}) unless the operator opted out; HTTP servers are
 * reached only through the egress proxy ({@link McpHttpAccess}) and are refused without it; results
 * are labelled {@code untrusted/public[mcp:<server>]}, so a session that used one is tainted;
 * descriptions reach the model prefixed as third-party. The client declares no capabilities (no
 * roots, no sampling, no elicitation), so a server cannot read Warden's files or drive its model.
 * A server can still change a tool between a listing and a call; the window is bounded by the
 * refresh interval and closed at once when the server announces the change.
 *
 * <p><b>Bounds.</b> Messages up to {@link #MAX_MESSAGE_CHARS}, results cut at {@link
 * #MAX_RESULT_CHARS}, calls time out after {@link #CALL_TIMEOUT_MILLIS}, at most {@link
 * #MAX_TOOLS_PER_SERVER} tools per server, descriptions up to {@link #MAX_DESCRIPTION_CHARS} and
 * schemas up to {@link #MAX_SCHEMA_CHARS} (larger ones are not offered).
 *
 * <p><b>Concurrency.</b> Thread-safe; reconciliation of one server's tools is serialised.
 */
public final class McpClientManager implements AutoCloseable {

  /** How long one tools/call may take before it fails. */
  public static final long CALL_TIMEOUT_MILLIS = 60_000;
  /** How long the MCP initialize handshake may take (a JVM or npx server can be slow to start). */
  public static final long INITIALIZE_TIMEOUT_MILLIS = 30_000;
  /** Largest single JSON-RPC message read from a server. */
  public static final int MAX_MESSAGE_CHARS = 4 * 1024 * 1024;
  /** Longest tool result handed to the model; the rest is cut with a marker. */
  public static final int MAX_RESULT_CHARS = 64 * 1024;
  /** Most tools taken from one server's listing; the rest are ignored (and reported). */
  public static final int MAX_TOOLS_PER_SERVER = 256;
  /** Longest tool description offered to the model. */
  public static final int MAX_DESCRIPTION_CHARS = 8 * 1024;
  /** Longest input schema (canonical JSON) offered to the model. */
  public static final int MAX_SCHEMA_CHARS = 64 * 1024;
  /** How often connected servers are re-listed even without a list_changed notification. */
  public static final long REFRESH_INTERVAL_SECONDS = 300;
  /**
   * How often the gateway checks whether mcp.json changed (an approval or removal made by the CLI
   * in another process) and then runs a refresh round.
   */
  public static final long REGISTRY_POLL_MILLIS = 2_000;
  /** How often a starting stdio server's process is checked for having exited. */
  public static final long PROCESS_POLL_MILLIS = 100;
  /** How long a stdio server's process may take to appear before the start counts as failed. */
  public static final long PROCESS_START_GRACE_MILLIS = 3_000;
  /** Lines of a stdio server's stderr kept for error messages. */
  public static final int MAX_STDERR_LINES_KEPT = 20;
  /** Longest diff copied into one audit event. */
  public static final int MAX_AUDIT_DIFF_CHARS = 4096;
  /** How long closing a server may take before its process is killed. */
  public static final long CLOSE_TIMEOUT_MILLIS = 3_000;

  /** Prefix of the {@link Action.ToolCall#provider()} of MCP tools. */
  public static final String PROVIDER_PREFIX = "mcp:";

  /** Runs blocking SDK calls so that the caller can stop waiting at the call timeout. */
  private static final java.util.concurrent.ExecutorService CALLERS = Executors.newVirtualThreadPerTaskExecutor();

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /**
   * @param sandbox where stdio servers run; {@link McpSandboxMode#UNSAFE_HOST} only when the
   *     operator set {@code sandbox: host}
   * @param httpOrNull how HTTP servers are reached; {@code null} refuses HTTP servers
   * @param workDir scratch directory (working directory of host-mode servers)
   * @param callTimeout per-request timeout
   * @param refreshInterval periodic re-listing; {@link Duration#ZERO} disables it
   */
  public record Options(McpSandboxMode sandbox, McpHttpAccess httpOrNull, Path workDir, Duration callTimeout,
      Duration refreshInterval) {
    public Options {
      Objects.requireNonNull(sandbox, "sandbox");
      Objects.requireNonNull(workDir, "workDir");
      Objects.requireNonNull(callTimeout, "callTimeout");
      Objects.requireNonNull(refreshInterval, "refreshInterval");
    }

    /** Sandboxed stdio, HTTP refused, default timeouts. */
    public static Options defaults(Path workDir) {
      return new Options(McpSandboxMode.BWRAP, null, workDir, Duration.ofMillis(CALL_TIMEOUT_MILLIS),
          Duration.ofSeconds(REFRESH_INTERVAL_SECONDS));
    }

    public Options withHttp(McpHttpAccess access) {
      return new Options(sandbox, access, workDir, callTimeout, refreshInterval);
    }

    public Options withSandbox(McpSandboxMode mode) {
      return new Options(mode, httpOrNull, workDir, callTimeout, refreshInterval);
    }

    public Options withRefreshInterval(Duration d) {
      return new Options(sandbox, httpOrNull, workDir, callTimeout, d);
    }

    public Options withCallTimeout(Duration d) {
      return new Options(sandbox, httpOrNull, workDir, d, refreshInterval);
    }
  }

  private static final class Connection {
    final McpServerConfig config;
    final String instanceId;
    final Deque<String> stderr = new ArrayDeque<>();
    volatile McpSyncClient client;

    Connection(McpServerConfig config, String instanceId) {
      this.config = config;
      this.instanceId = instanceId;
    }

    synchronized void stderrLine(String line) {
      if (stderr.size() >= MAX_STDERR_LINES_KEPT) {
        stderr.removeFirst();
      }
      // Shown to the owner in start errors: escaped so it cannot drive a terminal.
      String safe = dev.warden.agent.mcp.internal.SafeText.forTerminal(line);
      stderr.addLast(safe.length() > 500 ? safe.substring(0, 500) + "…" : safe);
    }

    synchronized String stderrTail() {
      return stderr.isEmpty() ? "" : "; its stderr ended with: " + String.join(" | ", stderr);
    }
  }

  private final McpRegistry registry;
  private final Kernel kernel;
  private final ToolRegistry tools;
  private final Options options;
  private final McpJsonMapper json = McpJsonDefaults.getMapper();
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private final Map<String, Map<String, McpToolStatus>> status = new ConcurrentHashMap<>();
  /** server/tool → the changed hash already reported, so one rug pull is one audit event. */
  private final Map<String, String> reported = new ConcurrentHashMap<>();
  private volatile ScheduledExecutorService refresher;
  /**
   * Serialises connect, approve, remove and refresh rounds. Never held by the SDK's notification
   * callback (which takes only the monitor of this object in {@link #reconcile}), so a blocking
   * tools/list under this lock cannot deadlock with a list_changed notification.
   */
  private final Object lifecycle = new Object();
  private volatile long registryModifiedMillis = -1;

  public McpClientManager(McpRegistry registry, Kernel kernel, ToolRegistry tools, Options options) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.kernel = Objects.requireNonNull(kernel, "kernel");
    this.tools = Objects.requireNonNull(tools, "tools");
    this.options = Objects.requireNonNull(options, "options");
  }

  public McpRegistry registry() {
    return registry;
  }

  /** Routes {@code tool_call} actions whose provider starts with {@code mcp:} to {@link #execute}. */
  public void routeWith(dev.warden.agent.exec.ToolCallRouter router) {
    router.route(PROVIDER_PREFIX, this::execute);
  }

  // ---------------------------------------------------------------------------------------------
  // Connections

  /**
   * Connects every approved server (failures are audited as {@code mcp/connect_failed}, not
   * thrown) and starts the periodic refresh.
   */
  public void startAll() throws McpException {
    for (String w : registry.warnings()) {
      kernel.recordEvent("mcp", "pin_mismatch", null, Map.of("problem", w));
    }
    for (McpServerEntry e : registry.list()) {
      if (e.approved() && !connections.containsKey(e.name())) {
        try {
          connect(e.name());
        } catch (McpException ex) {
          kernel.recordEvent("mcp", "connect_failed", null, Map.of("server", e.name(), "error", ex.getMessage()));
        }
      }
    }
    startRefresher();
  }

  private synchronized void startRefresher() {
    if (refresher != null || options.refreshInterval().isZero()) {
      return;
    }
    refresher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mcp-refresh");
      t.setDaemon(true);
      return t;
    });
    long ms = options.refreshInterval().toMillis();
    refresher.scheduleWithFixedDelay(this::refreshAllQuietly, ms, ms, TimeUnit.MILLISECONDS);
    registryModifiedMillis = registryModifiedMillis();
    refresher.scheduleWithFixedDelay(() -> {
      long m = registryModifiedMillis();
      if (m != registryModifiedMillis) {
        registryModifiedMillis = m;
        refreshAllQuietly();
      }
    }, REGISTRY_POLL_MILLIS, REGISTRY_POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Connects (or reconnects) an approved server and offers its pinned tools. */
  public void connect(String name) throws McpException {
    synchronized (lifecycle) {
      McpServerEntry e = registry.get(name).orElseThrow(() -> registry.unknown(name));
      if (!e.approved()) {
        throw new McpException("MCP server " + name + " is not approved, so it is not started and its tools are not offered;"
            + " review its tools with `warden mcp approve " + name + "`");
      }
      disconnect(name);
      Connection c = open(e.config());
      connections.put(name, c);
      try {
        reconcile(name, listAll(c));
      } catch (McpException ex) {
        disconnect(name);
        throw ex;
      }
      kernel.recordEvent("mcp", "connected", null, Map.of("server", name, "transport", e.config().transport().type(),
          "sandbox", e.config().transport() instanceof McpServerConfig.Stdio ? options.sandbox().name().toLowerCase() : "egress-proxy"));
    }
  }

  /** Stops a server and withdraws its tools. */
  public void disconnect(String name) {
    Connection c = connections.remove(name);
    Map<String, McpToolStatus> old = status.remove(name);
    if (old != null) {
      old.keySet().forEach(t -> tools.remove(McpAgentTool.modelName(name, t)));
    }
    if (c != null) {
      close(c);
    }
  }

  public boolean connected(String name) {
    return connections.containsKey(name);
  }

  /** Re-lists one connected server's tools and applies the pins now. */
  public void refresh(String name) throws McpException {
    Connection c = connections.get(name);
    if (c == null) {
      throw new McpException("MCP server " + name + " is not connected");
    }
    reconcile(name, listAll(c));
  }

  /** One refresh round: drop removed servers, re-list connected ones, connect newly approved ones. */
  public void refreshAll() throws McpException {
    synchronized (lifecycle) {
      Map<String, McpServerEntry> entries = new LinkedHashMap<>();
      for (McpServerEntry e : registry.list()) {
        entries.put(e.name(), e);
      }
      for (String name : List.copyOf(connections.keySet())) {
        McpServerEntry e = entries.get(name);
        if (e == null || !e.approved() || !e.config().equals(connections.get(name).config)) {
          disconnect(name);
          continue;
        }
        try {
          refresh(name);
        } catch (McpException ex) {
          disconnect(name);
          kernel.recordEvent("mcp", "server_unreachable", null, Map.of("server", name, "error", ex.getMessage()));
        }
      }
      for (McpServerEntry e : entries.values()) {
        if (e.approved() && !connections.containsKey(e.name())) {
          try {
            connect(e.name());
          } catch (McpException ex) {
            kernel.recordEvent("mcp", "connect_failed", null, Map.of("server", e.name(), "error", ex.getMessage()));
          }
        }
      }
    }
  }

  private long registryModifiedMillis() {
    try {
      return Files.getLastModifiedTime(registry.file()).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private void refreshAllQuietly() {
    try {
      refreshAll();
    } catch (McpException | RuntimeException e) {
      kernel.recordEvent("mcp", "refresh_failed", null, Map.of("error", String.valueOf(e.getMessage())));
    }
  }

  /** The tools of a connected server and what Warden does with each. */
  public List<McpToolStatus> status(String name) {
    Map<String, McpToolStatus> m = status.get(name);
    return m == null ? List.of() : List.copyOf(m.values());
  }

  // ---------------------------------------------------------------------------------------------
  // Approval

  /** Lists the server's tools now and compares them with its pins, without pinning anything. */
  public McpApprovalReport preview(String name) throws McpException {
    McpServerEntry e = registry.get(name).orElseThrow(() -> registry.unknown(name));
    return report(e, listNow(e), false);
  }

  /**
   * Pins the tools the server lists now as approved by {@code approvedBy}, then offers them.
   *
   * @param expectedFingerprintOrNull if given, the fingerprint of a {@link #preview}: approval
   *     fails if the server now lists anything else (it changed between showing and approving)
   */
  public McpApprovalReport approve(String name, String approvedBy, String expectedFingerprintOrNull) throws McpException {
    synchronized (lifecycle) {
      McpServerEntry e = registry.get(name).orElseThrow(() -> registry.unknown(name));
      Connection live = connections.get(name);
      // Without a live connection, the one opened to list the tools becomes the live one once approved.
      Connection fresh = live != null && live.config.equals(e.config()) ? null : open(e.config());
      List<McpToolDefinition> now;
      McpApprovalReport r;
      String fp;
      try {
        now = listAll(fresh != null ? fresh : live);
        fp = McpApproval.fingerprint(now);
        if (expectedFingerprintOrNull != null && !expectedFingerprintOrNull.equals(fp)) {
          throw new McpException("MCP server " + name + " now lists different tools than the ones shown (fingerprint "
              + expectedFingerprintOrNull + ", now " + fp + "); nothing was approved. Review again with `warden mcp approve "
              + name + "`");
        }
        r = report(e, now, true);
        registry.approve(name, now, approvedBy);
      } catch (McpException | RuntimeException ex) {
        if (fresh != null) {
          close(fresh);
        }
        throw ex;
      }
      for (McpToolDefinition d : now) {
        reported.remove(name + "/" + d.name());
      }
      kernel.recordEvent("mcp", "server_approved", null, Map.of("server", name, "approved_by", approvedBy,
          "fingerprint", fp, "tools", now.stream().map(McpToolDefinition::name).toList(),
          "changed", r.changes().stream().filter(c -> c.kind() == McpApprovalReport.Kind.CHANGED).map(McpApprovalReport.Change::tool).toList()));
      if (fresh != null) {
        disconnect(name);
        connections.put(name, fresh);
        kernel.recordEvent("mcp", "connected", null, Map.of("server", name, "transport", e.config().transport().type()));
      }
      // Listed again now that the connection receives notifications, so a change made since the
      // listing above is not missed.
      Connection c = connections.get(name);
      reconcile(name, c == null ? now : listAll(c));
      return r;
    }
  }

  /** Disconnects and forgets a server. */
  public boolean remove(String name) throws McpException {
    synchronized (lifecycle) {
      disconnect(name);
      boolean removed = registry.remove(name);
      if (removed) {
        kernel.recordEvent("mcp", "server_removed", null, Map.of("server", name));
      }
      return removed;
    }
  }

  private List<McpToolDefinition> listNow(McpServerEntry e) throws McpException {
    Connection live = connections.get(e.name());
    if (live != null && live.config.equals(e.config())) {
      return listAll(live);
    }
    Connection temp = open(e.config());
    try {
      return listAll(temp);
    } finally {
      close(temp);
    }
  }

  private static McpApprovalReport report(McpServerEntry e, List<McpToolDefinition> now, boolean applied) {
    List<McpApprovalReport.Change> changes = new ArrayList<>();
    McpApproval old = e.approvalOrNull();
    for (McpToolDefinition d : now) {
      Optional<McpToolDefinition> pinned = old == null ? Optional.empty() : old.tool(d.name());
      if (pinned.isEmpty()) {
        changes.add(new McpApprovalReport.Change(d.name(), McpApprovalReport.Kind.NEW, d, ""));
      } else if (pinned.get().sha256().equals(d.sha256())) {
        changes.add(new McpApprovalReport.Change(d.name(), McpApprovalReport.Kind.UNCHANGED, d, ""));
      } else {
        changes.add(new McpApprovalReport.Change(d.name(), McpApprovalReport.Kind.CHANGED, d, ToolDiff.render(pinned.get(), d)));
      }
    }
    if (old != null) {
      for (McpToolDefinition p : old.tools()) {
        if (now.stream().noneMatch(d -> d.name().equals(p.name()))) {
          changes.add(new McpApprovalReport.Change(p.name(), McpApprovalReport.Kind.REMOVED, null, ""));
        }
      }
    }
    return new McpApprovalReport(e.name(), McpApproval.fingerprint(now), changes, applied);
  }

  // ---------------------------------------------------------------------------------------------
  // Pins

  private synchronized void reconcile(String server, List<McpToolDefinition> listed) {
    McpServerEntry e;
    try {
      e = registry.get(server).orElse(null);
    } catch (McpException ex) {
      e = null;
      kernel.recordEvent("mcp", "registry_unreadable", null, Map.of("server", server, "error", ex.getMessage()));
    }
    McpApproval approval = e == null ? null : e.approvalOrNull();
    Map<String, McpToolStatus> next = new LinkedHashMap<>();
    for (McpToolDefinition d : listed) {
      String modelName = McpAgentTool.modelName(server, d.name());
      Optional<McpToolDefinition> pinned = approval == null ? Optional.empty() : approval.tool(d.name());
      McpToolStatus st;
      if (pinned.isEmpty()) {
        st = new McpToolStatus(server, d.name(), McpToolStatus.State.UNAPPROVED, "");
        reportOnce(server, d, "tool_unapproved", Map.of());
      } else if (!pinned.get().sha256().equals(d.sha256())) {
        String diff = ToolDiff.render(pinned.get(), d);
        st = new McpToolStatus(server, d.name(), McpToolStatus.State.CHANGED, diff);
        reportOnce(server, d, "tool_changed", Map.of("pinned_sha256", pinned.get().sha256(),
            "diff", diff.length() > MAX_AUDIT_DIFF_CHARS ? diff.substring(0, MAX_AUDIT_DIFF_CHARS) + "…" : diff));
      } else {
        String why = notOfferable(server, d);
        st = new McpToolStatus(server, d.name(), why == null ? McpToolStatus.State.OFFERED : McpToolStatus.State.NOT_OFFERABLE,
            why == null ? "" : why);
      }
      if (st.state() == McpToolStatus.State.OFFERED) {
        tools.add(new McpAgentTool(server, d));
      } else if (TOOL_NAME.matcher(modelName).matches()) {
        tools.remove(modelName);
      }
      next.put(d.name(), st);
    }
    if (approval != null) {
      for (McpToolDefinition p : approval.tools()) {
        if (!next.containsKey(p.name())) {
          next.put(p.name(), new McpToolStatus(server, p.name(), McpToolStatus.State.MISSING, ""));
          tools.remove(McpAgentTool.modelName(server, p.name()));
        }
      }
    }
    Map<String, McpToolStatus> prev = status.put(server, next);
    if (prev != null) {
      for (String t : prev.keySet()) {
        if (!next.containsKey(t)) {
          tools.remove(McpAgentTool.modelName(server, t));
        }
      }
    }
  }

  private void reportOnce(String server, McpToolDefinition d, String event, Map<String, Object> extra) {
    if (d.sha256().equals(reported.put(server + "/" + d.name(), d.sha256()))) {
      return;
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("server", server);
    f.put("tool", d.name());
    f.put("sha256", d.sha256());
    f.putAll(extra);
    f.put("action", "not offered until the owner runs `warden mcp approve " + server + "`");
    kernel.recordEvent("mcp", event, null, f);
  }

  private static String notOfferable(String server, McpToolDefinition d) {
    String modelName = McpAgentTool.modelName(server, d.name());
    if (!TOOL_NAME.matcher(modelName).matches()) {
      return "its name " + modelName + " is not 1 to 64 characters of [A-Za-z0-9_-] (what model APIs accept)";
    }
    if (d.description().length() > MAX_DESCRIPTION_CHARS) {
      return "its description has " + d.description().length() + " characters, more than " + MAX_DESCRIPTION_CHARS;
    }
    int schemaChars = CanonicalJson.write(d.inputSchema()).length();
    if (schemaChars > MAX_SCHEMA_CHARS) {
      return "its input schema has " + schemaChars + " characters, more than " + MAX_SCHEMA_CHARS;
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Calls

  /**
   * The {@code tool_call} executor for providers {@code mcp:<server>}: refuses tools that are not
   * offered right now (unapproved, changed since approval, missing, server disconnected), calls the
   * server, and returns the result labelled untrusted with source {@code mcp:<server>}.
   */
  public ActionExecutor.Result execute(Action.ToolCall call, SessionContext session) throws McpException {
    if (!call.provider().startsWith(PROVIDER_PREFIX)) {
      throw new McpException("no tool provider " + call.provider() + " in this Warden (MCP providers are named mcp:<server>)");
    }
    String server = call.provider().substring(PROVIDER_PREFIX.length());
    McpToolStatus st = Optional.ofNullable(status.get(server)).map(m -> m.get(call.tool())).orElse(null);
    Connection c = connections.get(server);
    if (c == null || st == null) {
      throw new McpException("tool " + call.tool() + " of MCP server " + server + " is not available: the server is not "
          + "connected or does not list it (see `warden mcp list`)");
    }
    switch (st.state()) {
      case OFFERED -> { }
      case CHANGED -> throw new McpException("tool " + call.tool() + " of MCP server " + server + " is disabled: its "
          + "definition changed after it was approved (possible rug pull). The owner must review the change with "
          + "`warden mcp approve " + server + "`");
      case UNAPPROVED -> throw new McpException("tool " + call.tool() + " of MCP server " + server + " was never approved;"
          + " the owner can review it with `warden mcp approve " + server + "`");
      case MISSING -> throw new McpException("tool " + call.tool() + " of MCP server " + server + " is no longer listed by the server");
      case NOT_OFFERABLE -> throw new McpException("tool " + call.tool() + " of MCP server " + server + " is not offered: " + st.detail());
    }
    McpSchema.CallToolResult r;
    java.util.concurrent.CompletableFuture<McpSchema.CallToolResult> f = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> c.client.callTool(new McpSchema.CallToolRequest(call.tool(), call.arguments())), CALLERS);
    try {
      r = f.get(options.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      f.cancel(true);
      throw new McpException("MCP server " + server + " failed tool " + call.tool() + ": no answer within "
          + options.callTimeout().toMillis() + " ms (the call timeout)", e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof io.modelcontextprotocol.spec.McpError err) {
        // The server's error text is the server's words: it goes back labelled untrusted like a
        // result, never inside an exception message (which the agent loop shows as system text).
        String msg = String.valueOf(err.getMessage());
        msg = msg.length() > MAX_RESULT_CHARS ? msg.substring(0, MAX_RESULT_CHARS) + "…[cut]" : msg;
        return new ActionExecutor.Result("The MCP tool failed with this error from the server: " + msg,
            Label.untrusted(PROVIDER_PREFIX + server), Map.of("server", server, "tool", call.tool(), "is_error", true, "protocol_error", true));
      }
      throw new McpException("MCP server " + server + " failed tool " + call.tool() + " (" + cause.getClass().getSimpleName()
          + "; the server's own output is not shown here because it is untrusted)", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new McpException("interrupted while calling tool " + call.tool() + " of MCP server " + server, e);
    }
    boolean error = Boolean.TRUE.equals(r.isError());
    String text = render(r);
    boolean truncated = text.length() > MAX_RESULT_CHARS;
    if (truncated) {
      text = text.substring(0, MAX_RESULT_CHARS) + "\n…[cut: the result had " + text.length() + " characters, more than "
          + MAX_RESULT_CHARS + "]";
    }
    if (error) {
      text = "The MCP tool reported an error: " + text;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("server", server);
    details.put("tool", call.tool());
    details.put("is_error", error);
    details.put("truncated", truncated);
    return new ActionExecutor.Result(text, Label.untrusted(PROVIDER_PREFIX + server), details);
  }

  private String render(McpSchema.CallToolResult r) {
    StringBuilder sb = new StringBuilder();
    if (r.content() != null) {
      for (McpSchema.Content content : r.content()) {
        if (sb.length() > MAX_RESULT_CHARS) {
          break;
        }
        if (!sb.isEmpty()) {
          sb.append('\n');
        }
        if (content instanceof McpSchema.TextContent t) {
          sb.append(t.text());
        } else {
          sb.append('[').append(content.getClass().getSimpleName()).append(" omitted: Warden passes only text from MCP tools]");
        }
      }
    }
    if (sb.isEmpty() && r.structuredContent() != null) {
      try {
        sb.append(json.writeValueAsString(r.structuredContent()));
      } catch (IOException e) {
        sb.append("[structured content that could not be rendered]");
      }
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Transport

  private Connection open(McpServerConfig config) throws McpException {
    Connection c = new Connection(config, config.name() + "-" + UUID.randomUUID());
    McpClientTransport transport = switch (config.transport()) {
      case McpServerConfig.Stdio s -> stdio(config, s, c);
      case McpServerConfig.Http h -> http(config, h);
    };
    McpSyncClient client = McpClient.sync(transport)
        // The SDK applies the request timeout to the initialize request too, and a JVM or npx
        // server can be slow to answer it; the shorter call timeout is enforced in execute().
        .requestTimeout(max(options.callTimeout(), Duration.ofMillis(INITIALIZE_TIMEOUT_MILLIS)))
        .initializationTimeout(Duration.ofMillis(INITIALIZE_TIMEOUT_MILLIS))
        .clientInfo(new McpSchema.Implementation("warden", "0.1.0"))
        .capabilities(McpSchema.ClientCapabilities.builder().build())
        .toolsChangeConsumer(list -> onToolsChanged(config.name(), c, list))
        .build();
    c.client = client;
    try {
      initialize(c);
    } catch (RuntimeException e) {
      close(c);
      throw new McpException("cannot start MCP server " + config.name() + " (" + config.transport().describe() + "): "
          + e.getMessage() + c.stderrTail(), e);
    }
    return c;
  }

  /**
   * Runs the initialize handshake; for a stdio server, fails as soon as its process is gone instead
   * of waiting for the timeout (the SDK does not notice a server that exits before answering).
   */
  private static void initialize(Connection c) {
    java.util.concurrent.CompletableFuture<Void> init = java.util.concurrent.CompletableFuture.runAsync(
        () -> c.client.initialize(), CALLERS);
    boolean stdio = c.config.transport() instanceof McpServerConfig.Stdio;
    long start = System.nanoTime();
    boolean seen = false;
    while (true) {
      try {
        init.get(PROCESS_POLL_MILLIS, TimeUnit.MILLISECONDS);
        return;
      } catch (java.util.concurrent.TimeoutException e) {
        if (stdio) {
          boolean alive = StdioLaunch.find(c.instanceId).isPresent();
          seen |= alive;
          long ms = (System.nanoTime() - start) / 1_000_000;
          if (!alive && (seen || ms > PROCESS_START_GRACE_MILLIS)) {
            init.cancel(true);
            throw new IllegalStateException("the server process exited before answering initialize");
          }
        }
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the server");
      }
    }
  }

  private void onToolsChanged(String name, Connection c, List<McpSchema.Tool> list) {
    if (connections.get(name) != c) {
      return;
    }
    kernel.recordEvent("mcp", "tools_list_changed", null, Map.of("server", name, "tools", Math.min(list.size(), MAX_TOOLS_PER_SERVER)));
    reconcile(name, definitions(name, list));
  }

  private McpClientTransport stdio(McpServerConfig config, McpServerConfig.Stdio s, Connection c) throws McpException {
    Path work = options.workDir().resolve(config.name());
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new McpException("cannot create the MCP work directory " + work + ": " + e.getMessage(), e);
    }
    if (options.sandbox() == McpSandboxMode.UNSAFE_HOST) {
      String warning = "MCP server " + config.name() + " runs UNSANDBOXED on the host (sandbox: host): it can read and"
          + " write everything Warden's user can and reach the network directly";
      System.err.println("warden: WARNING: " + warning);
      kernel.recordEvent("mcp", "unsandboxed_server", null, Map.of("server", config.name(), "warning", warning));
    } else if (!Files.isExecutable(Path.of(StdioLaunch.BWRAP))) {
      throw new McpException("cannot start MCP server " + config.name() + " in the sandbox: " + StdioLaunch.BWRAP
          + " is missing; install bubblewrap (Debian: apt-get install bubblewrap). Warden does not run third-party MCP"
          + " servers unsandboxed unless warden.yaml says `sandbox: host`");
    }
    if (options.sandbox() == McpSandboxMode.BWRAP) {
      if (StdioLaunch.RUNNING_AS_ROOT && !Files.isExecutable(Path.of(StdioLaunch.SETPRIV))) {
        throw new McpException("cannot start MCP server " + config.name() + " in the sandbox: Warden runs as root and needs "
            + StdioLaunch.SETPRIV + " (util-linux) to start it as uid " + StdioLaunch.SANDBOX_UID);
      }
      for (String p : s.readOnlyPaths()) {
        String why = StdioLaunch.unreachableBySandboxUserOrNull(p);
        if (why != null) {
          throw new McpException("cannot start MCP server " + config.name() + ": its read-only path " + p + " is not"
              + " reachable by the sandbox user (uid " + StdioLaunch.SANDBOX_UID + "): " + why + ". Install the server"
              + " somewhere world-readable (e.g. /opt/mcp/" + config.name() + ")");
        }
      }
    }
    CleanEnvStdioTransport t = new CleanEnvStdioTransport(
        StdioLaunch.parameters(s, options.sandbox(), c.instanceId, work.toString()), json, MAX_MESSAGE_CHARS, work);
    t.setStdErrorHandler(c::stderrLine);
    return t;
  }

  private McpClientTransport http(McpServerConfig config, McpServerConfig.Http h) throws McpException {
    McpHttpAccess access = options.httpOrNull();
    if (access == null) {
      throw new McpException("HTTP MCP server " + config.name() + " (" + h.url() + ") is refused: this Warden has no"
          + " egress proxy wired for MCP, and MCP servers are reached only through it. Use a stdio server, or run the"
          + " gateway with the egress proxy enabled");
    }
    HttpClient.Builder b = HttpClient.newBuilder()
        .proxy(ProxySelector.of(access.proxy()))
        .sslContext(access.sslContext())
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofMillis(INITIALIZE_TIMEOUT_MILLIS));
    String base = h.url().getScheme() + "://" + h.url().getRawAuthority();
    String endpoint = h.url().getRawPath() == null || h.url().getRawPath().isEmpty() ? "/mcp" : h.url().getRawPath();
    return HttpClientStreamableHttpTransport.builder(base)
        .endpoint(endpoint)
        .clientBuilder(b)
        .maxResponseSize(MAX_MESSAGE_CHARS)
        .connectTimeout(Duration.ofMillis(INITIALIZE_TIMEOUT_MILLIS))
        .build();
  }

  private List<McpToolDefinition> listAll(Connection c) throws McpException {
    List<McpSchema.Tool> all = new ArrayList<>();
    String cursor = null;
    try {
      do {
        McpSchema.ListToolsResult r = cursor == null ? c.client.listTools() : c.client.listTools(cursor);
        all.addAll(r.tools() == null ? List.of() : r.tools());
        cursor = r.nextCursor();
      } while (cursor != null && all.size() < MAX_TOOLS_PER_SERVER);
    } catch (RuntimeException e) {
      throw new McpException("cannot list the tools of MCP server " + c.config.name() + ": " + e.getMessage() + c.stderrTail(), e);
    }
    return definitions(c.config.name(), all);
  }

  private List<McpToolDefinition> definitions(String server, List<McpSchema.Tool> list) {
    if (list.size() > MAX_TOOLS_PER_SERVER) {
      kernel.recordEvent("mcp", "too_many_tools", null, Map.of("server", server, "listed", list.size(), "kept", MAX_TOOLS_PER_SERVER));
    }
    Map<String, McpToolDefinition> out = new LinkedHashMap<>();
    for (McpSchema.Tool t : list.subList(0, Math.min(list.size(), MAX_TOOLS_PER_SERVER))) {
      if (t.name() == null || t.name().isEmpty()) {
        continue;
      }
      // A name listed twice keeps its first definition; the duplicate cannot be told apart in calls.
      out.putIfAbsent(t.name(), new McpToolDefinition(t.name(), t.description(), t.inputSchema() == null ? Map.of() : t.inputSchema()));
    }
    return List.copyOf(out.values());
  }

  private void close(Connection c) {
    McpSyncClient client = c.client;
    if (client != null) {
      Thread closer = Thread.ofVirtual().start(() -> {
        try {
          client.closeGracefully();
        } catch (RuntimeException ignored) {
          // the process is killed below if it is still there
        }
      });
      try {
        closer.join(Duration.ofMillis(CLOSE_TIMEOUT_MILLIS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    killStragglers(c.instanceId);
  }

  /** Kills a sandboxed server's process tree that did not exit when asked (found by its instance marker). */
  private static void killStragglers(String instanceId) {
    StdioLaunch.find(instanceId).ifPresent(p -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    });
  }

  @Override
  public void close() {
    ScheduledExecutorService r = refresher;
    if (r != null) {
      r.shutdownNow();
    }
    for (String name : List.copyOf(connections.keySet())) {
      disconnect(name);
    }
  }

  /** For tests and diagnostics: the servers currently connected. */
  public List<String> connectedServers() {
    return List.copyOf(new HashMap<>(connections).keySet());
  }
}
