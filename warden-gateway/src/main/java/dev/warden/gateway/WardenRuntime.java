package dev.warden.gateway;

import dev.warden.agent.AgentLoop;
import dev.warden.agent.AgentSession;
import dev.warden.agent.ContextBuilder;
import dev.warden.agent.config.ConfigException;
import dev.warden.agent.config.WardenConfig;
import dev.warden.agent.exec.CronService;
import dev.warden.agent.exec.ExecExecutor;
import dev.warden.agent.mcp.McpClientManager;
import dev.warden.agent.mcp.McpRegistry;
import dev.warden.agent.mcp.McpSandboxMode;
import dev.warden.agent.mcp.McpServerConfig;
import dev.warden.agent.exec.SandboxEgress;
import dev.warden.agent.skills.SkillInstallExecutor;
import dev.warden.agent.skills.SkillInventory;
import dev.warden.agent.skills.SkillReadExecutor;
import dev.warden.agent.skills.SkillRunExecutor;
import dev.warden.agent.skills.SkillSettings;
import dev.warden.registry.skill.HostEnvironment;
import dev.warden.agent.exec.ToolCallRouter;
import dev.warden.agent.exec.WasmTools;
import dev.warden.agent.exec.FileExecutors;
import dev.warden.agent.exec.MemoryService;
import dev.warden.agent.exec.MessageRouter;
import dev.warden.agent.exec.StandardNormalizer;
import dev.warden.agent.exec.WebExecutor;
import dev.warden.agent.exec.Workspace;
import dev.warden.agent.model.ModelException;
import dev.warden.agent.model.ModelProvider;
import dev.warden.agent.model.ModelProviders;
import dev.warden.agent.model.ProviderSettings;
import dev.warden.agent.tools.BuiltinTools;
import dev.warden.agent.tools.ToolRegistry;
import dev.warden.egress.BouncyCastleSigning;
import dev.warden.egress.CertificateAuthority;
import dev.warden.egress.DestinationGuard;
import dev.warden.egress.GuardedHttpClient;
import dev.warden.egress.Resolver;
import dev.warden.kernel.AgentKey;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.Label;
import dev.warden.kernel.Principal;
import dev.warden.kernel.SessionContext;
import dev.warden.kernel.WardenHome;
import dev.warden.kernel.WardenSecurityException;
import dev.warden.kernel.WriteAnnouncer;
import dev.warden.monitor.integrity.IntegrityWatch;
import dev.warden.kernel.audit.AuditException;
import dev.warden.kernel.audit.AuditLog;
import dev.warden.monitor.Monitor;
import dev.warden.monitor.MonitorConfig;
import dev.warden.monitor.MonitorException;
import dev.warden.monitor.snapshot.SnapshotStore;
import dev.warden.policy.CedarPolicy;
import dev.warden.sandbox.BubblewrapSandbox;
import dev.warden.sandbox.InsecureHostSandbox;
import dev.warden.sandbox.Limits;
import dev.warden.sandbox.Sandbox;
import dev.warden.policy.PolicyLoadException;
import dev.warden.store.CronStore;
import dev.warden.store.FileLabels;
import dev.warden.store.MemoryIndex;
import dev.warden.store.SessionStore;
import dev.warden.store.SqliteApprovalStore;
import dev.warden.store.SqliteAuditStore;
import dev.warden.store.SqliteGrantStore;
import dev.warden.store.StateDb;
import dev.warden.vault.HostPattern;
import dev.warden.vault.InsecureSecretAccess;
import dev.warden.vault.Vault;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The composition root: opens a WARDEN_HOME and wires the kernel, the stores, the policy, the
 * vault, the executors and the agent loop. Used by the gateway ({@code warden up}) and in-process
 * by the CLI ({@code warden run}, {@code warden exec}, …). Constructors, no framework: reading this
 * class is reading the architecture.
 */
public final class WardenRuntime implements AutoCloseable {

  /** Options that the command line adds on top of warden.yaml. */
  public record Options(String modelSpecOrNull, List<String> allowHosts, Duration approvalWaitOrNull) {
    public static Options none() {
      return new Options(null, List.of(), null);
    }
  }

  private final WardenHome home;
  private final WardenConfig config;
  private final StateDb db;
  private final AuditLog audit;
  private final Kernel kernel;
  private final Vault vault;
  private final Workspace workspace;
  private final SessionStore sessions;
  private final MemoryService memory;
  private final CronService cron;
  private final MessageRouter messages;
  private final FileExecutors files;
  private final AgentLoop loop;
  private final String modelSpec;
  private final InstantSource clock;
  private final Map<String, AgentSession> live = new ConcurrentHashMap<>();
  private final CedarPolicy policy;
  private SnapshotStore snapshots;
  private Monitor monitor;
  private McpClientManager mcp;
  private WriteAnnouncer.Switchable announcer;
  private McpEgress.Started mcpEgress;
  private final Containment containment = new Containment(this);
  private SkillInstallExecutor skillInstalls;
  private SkillInventory skills;

  private WardenRuntime(WardenHome home, WardenConfig config, StateDb db, AuditLog audit, Kernel kernel, Vault vault,
      Workspace workspace, SessionStore sessions, MemoryService memory, CronService cron, MessageRouter messages,
      FileExecutors files, AgentLoop loop, String modelSpec, InstantSource clock, CedarPolicy policy) {
    this.home = home;
    this.config = config;
    this.db = db;
    this.audit = audit;
    this.kernel = kernel;
    this.vault = vault;
    this.workspace = workspace;
    this.sessions = sessions;
    this.memory = memory;
    this.cron = cron;
    this.messages = messages;
    this.files = files;
    this.loop = loop;
    this.modelSpec = modelSpec;
    this.clock = clock;
    this.policy = policy;
  }

  /** Opens (creating on first start) the home and wires everything. */
  public static WardenRuntime open(WardenHome home, Options options) throws StartupException {
    InstantSource clock = InstantSource.system();
    WardenConfig config;
    SkillSettings skillSettings;
    try {
      Files.createDirectories(home.root());
      Files.createDirectories(home.workspace());
      config = WardenConfig.load(home.config());
      skillSettings = SkillSettings.from(config.raw());
    } catch (ConfigException e) {
      throw new StartupException(e.getMessage());
    } catch (IOException e) {
      throw new StartupException("cannot create WARDEN_HOME " + home.root() + ": " + e.getMessage());
    }
    if (!options.allowHosts().isEmpty()) {
      config = config.withAllowHosts(options.allowHosts());
    }
    if (options.approvalWaitOrNull() != null) {
      config = config.withApprovalWait(options.approvalWaitOrNull());
    }
    String modelSpec = options.modelSpecOrNull() != null ? options.modelSpecOrNull()
        : config.modelSpecOrNull() != null ? config.modelSpecOrNull() : "scripted:" + defaultScript(home);
    StateDb db = null;
    BouncyCastleSigning.install();
    try {
      AgentKey key = AgentKey.loadOrCreate(home.keys());
      db = StateDb.open(home.stateDb());
      AuditLog audit = new AuditLog(new SqliteAuditStore(db), key, clock, home.auditHead());
      CedarPolicy policy = CedarPolicy.load(home.policies());
      Vault vault = Vault.openInHome(home.root(), System.getenv());
      Workspace workspace = new Workspace(home.workspace());
      List<HostPattern> allowed = new ArrayList<>();
      for (String h : config.allowHosts()) {
        allowed.add(HostPattern.of(h));
      }
      DestinationGuard guard = new DestinationGuard(Resolver.SYSTEM, allowed);
      StandardNormalizer normalizer = new StandardNormalizer(workspace, guard, config.ownerId(), (cred, host) -> {
        try {
          return vault.metadata(cred).map(m -> m.boundTo(host)).orElse(false);
        } catch (WardenSecurityException e) {
          return false;
        }
      });
      Kernel kernel = new Kernel(policy, normalizer, audit, new SqliteApprovalStore(db), new SqliteGrantStore(db), clock,
          config.approvalTtl());
      FileLabels labels = new FileLabels(db);
      FileExecutors files = new FileExecutors(workspace, labels, clock);
      files.registerWith(kernel);
      MemoryService memory = new MemoryService(workspace, new MemoryIndex(db), clock);
      memory.registerWith(kernel);
      CronService cron = new CronService(new CronStore(db), clock);
      cron.registerWith(kernel);
      MessageRouter messages = new MessageRouter();
      messages.registerWith(kernel);
      new WebExecutor(new GuardedHttpClient(guard), guard, vault, kernel).registerWith(kernel);
      CertificateAuthority ca = CertificateAuthority.loadOrCreate(home.ca());
      java.util.function.Supplier<Sandbox> sandbox = sandboxFor(config);
      SandboxEgress sandboxEgress = new SandboxEgress(home.run(), ca, vault, guard, kernel);
      new ExecExecutor(sandbox, config.insecureHostSandbox(), workspace, sandboxEgress, vault, kernel, Limits.DEFAULT)
          .registerWith(kernel);
      // Skills (issue 4): install/update/remove, run in the sandbox, read with a trust label.
      SkillInstallExecutor skillInstalls = new SkillInstallExecutor(home.root(), skillSettings, kernel, clock);
      skillInstalls.registerWith(kernel);
      SkillInventory skills = new SkillInventory(skillInstalls, workspace.root(), HostEnvironment.system());
      new SkillRunExecutor(sandbox, home.run(), workspace, skillInstalls, skills, sandboxEgress, vault,
          kernel, Limits.DEFAULT).registerWith(kernel);
      audit.setRedactor(text -> vault.redactor().redact(text));
      messages.setRedactor(text -> vault.redactor().redact(text));
      ToolCallRouter toolCalls = new ToolCallRouter();
      toolCalls.registerWith(kernel);
      WasmTools wasm = new WasmTools(workspace, kernel, new GuardedHttpClient(guard));
      wasm.load(home.root().resolve("tools"));
      toolCalls.route(WasmTools.PROVIDER_PREFIX, wasm::execute);
      toolCalls.route(SkillReadExecutor.PROVIDER, new SkillReadExecutor(skills)::execute);
      SessionStore sessions = new SessionStore(db);
      ToolRegistry tools = new ToolRegistry(BuiltinTools.all(workspace));
      wasm.tools().forEach(tools::add);
      // MCP servers: stdio servers in bubblewrap, HTTP servers only through an egress proxy (not yet
      // started by the runtime, so HTTP servers are refused with a clear message for now).
      McpRegistry mcpRegistry = McpRegistry.inHome(home, clock);
      McpClientManager.Options mcpOptions = McpClientManager.Options.defaults(home.run().resolve("mcp"))
          .withSandbox(config.insecureHostSandbox() ? McpSandboxMode.UNSAFE_HOST : McpSandboxMode.BWRAP);
      McpEgress.Started mcpEgress = null;
      if (mcpRegistry.list().stream().anyMatch(e -> e.config().transport() instanceof McpServerConfig.Http)) {
        mcpEgress = McpEgress.start(ca, vault, guard, kernel, mcpRegistry);
        mcpOptions = mcpOptions.withHttp(mcpEgress.access());
      }
      McpClientManager mcp = new McpClientManager(mcpRegistry, kernel, tools, mcpOptions);
      mcp.routeWith(toolCalls);
      ContextBuilder context = new ContextBuilder(workspace, files::labelOf, () -> skills.offered().stream()
          .map(e -> new ContextBuilder.OfferedSkill(e.skill().name(), e.vetted() ? e.skill().description() : null,
              e.skill().contentLabel(e.vetted())))
          .toList());
      WriteAnnouncer.Switchable announcer = new WriteAnnouncer.Switchable();
      announcer.set(otherProcessAnnouncer(home));
      announceWritesOf(kernel, announcer, home, workspace.root());
      AgentLoop loop = new AgentLoop(kernel, tools, sessions, context, config.maxSteps(), config.maxTokens(),
          config.approvalWait(), clock, text -> vault.redactor().redact(text));
      WardenRuntime rt = new WardenRuntime(home, config, db, audit, kernel, vault, workspace, sessions, memory, cron, messages,
          files, loop, modelSpec, clock, policy);
      rt.mcp = mcp;
      rt.mcpEgress = mcpEgress;
      rt.announcer = announcer;
      rt.skillInstalls = skillInstalls;
      rt.skills = skills;
      Map<String, Object> start = new LinkedHashMap<>();
      start.put("home", home.root().toString());
      start.put("model", modelSpec.startsWith("scripted:") ? "scripted" : modelSpec);
      start.put("sandbox", config.sandbox());
      start.put("policy_rules", policy.rules().size());
      kernel.recordEvent("gateway", "runtime_open", null, start);
      for (String h : config.allowHosts()) {
        kernel.recordEvent("config", "allow_host", null,
            Map.of("host", h, "note", "the destination guard lets this private/loopback host pass; labels and policy still apply"));
      }
      rt.containment.reapplyIfFlagged();
      rt.startMonitor();
      return rt;
    } catch (PolicyLoadException e) {
      closeQuietly(db);
      throw new StartupException("policy refused to load (fail closed): " + e.getMessage());
    } catch (dev.warden.agent.mcp.McpException e) {
      closeQuietly(db);
      throw new StartupException("cannot read the MCP server list: " + e.getMessage());
    } catch (WardenSecurityException | AuditException | SQLException | IOException e) {
      closeQuietly(db);
      throw new StartupException("cannot open " + home.root() + ": " + e.getMessage());
    }
  }

  private static void closeQuietly(StateDb db) {
    if (db != null) {
      try {
        db.close();
      } catch (SQLException ignored) {
        // already failing
      }
    }
  }

  /**
   * The sandbox the config asks for. Bubblewrap is checked lazily and on every use, so a missing
   * bwrap fails each exec with the install hint (fail closed) instead of stopping the gateway.
   */
  private static java.util.function.Supplier<Sandbox> sandboxFor(WardenConfig config) {
    if (config.insecureHostSandbox()) {
      InsecureHostSandbox host = InsecureHostSandbox.create();
      return () -> host;
    }
    return new java.util.function.Supplier<>() {
      private volatile Sandbox ok;

      @Override
      public Sandbox get() {
        if (ok == null) {
          try {
            ok = BubblewrapSandbox.create();
          } catch (WardenSecurityException e) {
            throw new IllegalStateException("the sandbox cannot be set up, so the command was not run: " + e.getMessage()
                + " (or set `sandbox: host` in warden.yaml to run commands unconfined — audited on every use)");
          }
        }
        return ok;
      }
    };
  }

  /**
   * While an action runs, the paths its executor may write are announced to the integrity watch, so
   * that only changes made outside the kernel raise an alert. Sandboxed commands, skill scripts and
   * tools may write anywhere in the workspace; injection updates the vault's last-used times.
   */
  private static void announceWritesOf(Kernel kernel, WriteAnnouncer announcer, WardenHome home, Path workspace) {
    kernel.decorateExecutors((type, ex) -> (a, s) -> {
      List<Path> paths = switch (a) {
        case dev.warden.kernel.Action.FileWrite w -> List.of(workspace);
        case dev.warden.kernel.Action.MemoryWrite m -> List.of(workspace);
        case dev.warden.kernel.Action.Exec x -> List.of(workspace, home.vault());
        case dev.warden.kernel.Action.SkillRun r -> List.of(workspace, home.vault());
        case dev.warden.kernel.Action.ToolCall t -> List.of(workspace, home.vault());
        case dev.warden.kernel.Action.Egress e -> List.of(home.vault());
        case dev.warden.kernel.Action.SkillInstall i -> List.of(home.skills(), home.skillsLock());
        default -> List.of();
      };
      List<WriteAnnouncer.Token> tokens = paths.stream().map(announcer::writing).toList();
      try {
        return ex.execute(a, s);
      } finally {
        tokens.forEach(WriteAnnouncer.Token::close);
      }
    });
  }

  /**
   * Outside the gateway (a CLI command writing the home while a gateway may be watching), writes are
   * announced through files the watching process reads (see IntegrityWatch).
   */
  static WriteAnnouncer otherProcessAnnouncer(WardenHome home) {
    return p -> {
      try {
        IntegrityWatch.expectUnderFromOtherProcess(home, p, OTHER_PROCESS_ANNOUNCEMENT_TTL);
      } catch (IOException e) {
        // The watch will report the change; that is the safe side.
      }
      return () -> {};
    };
  }

  /** How long another process's write announcement stays valid. */
  static final Duration OTHER_PROCESS_ANNOUNCEMENT_TTL = Duration.ofMinutes(2);

  private IntegrityWatch integrity;

  /**
   * Starts the integrity watch on this home (the gateway does; one-shot commands announce their
   * writes instead). A change that no kernel write announced is recorded as
   * {@code integrity/unexpected_change}, raises a HIGH alert and is sent to the owner's chat.
   */
  public synchronized void startIntegrityWatch(Duration sweepInterval) throws IOException {
    if (integrity != null) {
      return;
    }
    integrity = new IntegrityWatch(home, (path, kind, detail) -> {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("path", home.root().relativize(path).toString());
      f.put("change", String.valueOf(kind).toLowerCase());
      f.put("detail", detail);
      kernel.recordEvent("integrity", "unexpected_change", null, f);
      messages.notifyOwner("alert", "[high] " + f.get("path") + " changed outside Warden (" + f.get("change") + ")");
    }, clock, sweepInterval, true);
    if (monitor != null) {
      monitor.addDetection("integrity-unexpected-change", e -> "integrity".equals(e.body().get("category"))
          ? new dev.warden.monitor.detect.Finding("integrity-unexpected-change", dev.warden.monitor.detect.Severity.HIGH,
              "File changed outside Warden: " + e.body().get("path"), String.valueOf(e.body().get("detail")), null,
              "integrity|" + e.body().get("path"))
          : null);
    }
    integrity.start();
    IntegrityWatch w = integrity;
    announcer.set(p -> {
      IntegrityWatch.WriteToken t = w.writing(p);
      return t::close;
    });
  }

  /** Where the kernel-side writes of this process are announced (the integrity watch, once started). */
  public WriteAnnouncer.Switchable announcer() {
    return announcer;
  }

  /** Extracts the embedded welcome script into the home (once) and returns its path. */
  private static Path defaultScript(WardenHome home) throws StartupException {
    Path p = home.root().resolve("models").resolve("welcome.yaml");
    if (Files.exists(p)) {
      return p;
    }
    try (InputStream in = WardenRuntime.class.getResourceAsStream("/models/welcome.yaml")) {
      Files.createDirectories(p.getParent());
      Files.write(p, in.readAllBytes());
      return p;
    } catch (IOException | NullPointerException e) {
      throw new StartupException("cannot install the embedded default model script: " + e);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Creates a model provider for one session (scripted providers keep per-session state). */
  public ModelProvider newModel() throws ModelException {
    ProviderSettings settings = ProviderSettings.defaults().withApiKeyLookup(name -> {
      try {
        return vault.activeSecret(name).map(s -> s.utf8(InsecureSecretAccess.get())).orElse(null);
      } catch (WardenSecurityException e) {
        return null;
      }
    });
    return ModelProviders.create(modelSpec, settings);
  }

  /** The live session {@code id}, restored from the store or created for {@code principal}. */
  public AgentSession session(String id, Principal principal, String channel) throws ModelException {
    AgentSession existing = live.get(id);
    if (existing != null) {
      return existing;
    }
    synchronized (live) {
      existing = live.get(id);
      if (existing != null) {
        return existing;
      }
      AgentSession s = new AgentSession(new SessionContext(id, principal, Set.of(), Label.bottom()), newModel(), channel);
      AgentLoop.restore(s, sessions);
      live.put(id, s);
      return s;
    }
  }

  public Map<String, AgentSession> liveSessions() {
    return Map.copyOf(live);
  }

  public WardenHome home() {
    return home;
  }

  public WardenConfig config() {
    return config;
  }

  public Kernel kernel() {
    return kernel;
  }

  public AuditLog audit() {
    return audit;
  }

  public StateDb db() {
    return db;
  }

  public Vault vault() {
    return vault;
  }

  public Workspace workspace() {
    return workspace;
  }

  public SessionStore sessions() {
    return sessions;
  }

  public MemoryService memory() {
    return memory;
  }

  public CronService cron() {
    return cron;
  }

  public MessageRouter messages() {
    return messages;
  }

  public FileExecutors files() {
    return files;
  }

  public AgentLoop loop() {
    return loop;
  }

  public String modelSpec() {
    return modelSpec;
  }

  public CedarPolicy policy() {
    return policy;
  }

  /** Content-addressed, signed snapshots of this home (created on first use). */
  public synchronized SnapshotStore snapshots() {
    if (snapshots == null) {
      try {
        snapshots = new SnapshotStore(home, AgentKey.loadOrCreate(home.keys()), db, new VaultCredentialCatalog(vault), clock);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return snapshots;
  }

  /** Skill installs (and the operator-only switches the CLI sets before submitting one). */
  public SkillInstallExecutor skillInstalls() {
    return skillInstalls;
  }

  /** The skills the agent sees, and which are vetted. */
  public SkillInventory skills() {
    return skills;
  }

  /**
   * The monitor: every audit record also lands in the OCSF-shaped event store, detections raise
   * alerts, exporters ship events and signed checkpoints off the host. Alerts go to the owner's
   * chat feed (and the dashboard, which the gateway subscribes). A monitor that cannot start is
   * reported, not fatal: the audit log stays the record of truth.
   */
  private void startMonitor() {
    try {
      monitor = Monitor.open(home, MonitorConfig.fromMap(config.monitor(), home));
      monitor.attach(audit);
      monitor.addAlertListener(a -> messages.notifyOwner("alert", "[" + a.severity() + "] " + a.title() + ": " + a.detail()));
    } catch (MonitorException | RuntimeException e) {
      monitor = null;
      kernel.recordEvent("monitor", "unavailable", null, Map.of("error", String.valueOf(e.getMessage())));
    }
  }

  /** MCP servers: their tools are offered once approved, and withdrawn when their definitions change. */
  public McpClientManager mcp() {
    return mcp;
  }

  /** Connects approved MCP servers (the gateway does this at start; one-shot commands don't need them). */
  public void startMcp() {
    try {
      mcp.startAll();
    } catch (dev.warden.agent.mcp.McpException | RuntimeException e) {
      kernel.recordEvent("mcp", "start_failed", null, Map.of("error", String.valueOf(e.getMessage())));
    }
  }

  /** The monitor, or null when it could not start (see the audit event {@code monitor/unavailable}). */
  public Monitor monitorOrNull() {
    return monitor;
  }

  public Containment containment() {
    return containment;
  }

  public InstantSource clock() {
    return clock;
  }

  @Override
  public void close() {
    cron.close();
    if (integrity != null) {
      integrity.close();
    }
    if (mcp != null) {
      mcp.close();
    }
    if (mcpEgress != null) {
      mcpEgress.close();
    }
    if (monitor != null) {
      // Checkpoint first so the final signed checkpoint is exported with the monitor's last batch.
      try {
        audit.checkpoint();
      } catch (AuditException e) {
        System.err.println("warden: final audit checkpoint failed: " + e.getMessage());
      }
      monitor.flush(5_000);
      monitor.close();
    }
    try {
      audit.close();
    } catch (AuditException e) {
      System.err.println("warden: closing the audit log failed: " + e.getMessage());
    }
    closeQuietly(db);
  }
}
