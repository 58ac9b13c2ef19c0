package dev.warden.monitor.hostscan;

import dev.warden.kernel.Hashing;
import dev.warden.monitor.snapshot.internal.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code warden scan-host}: finds agent runtimes on a host and audits their posture.
 *
 * <h2>What it looks at (all relative to {@code root}, {@code /} on a live host)</h2>
 * <ul>
 *   <li>state directories {@code home/*}/{@code root} {@code .openclaw}, {@code .moltbot},
 *       {@code .clawdbot} with their JSON5 config ({@code openclaw.json}, {@code moltbot.json},
 *       {@code clawdbot.json}), {@code .env}, {@code credentials/}, per-agent
 *       {@code agents/*}{@code /agent/auth-profiles.json}, skills ({@code skills/},
 *       {@code workspace/skills/});
 *   <li>npm global installs in {@code usr/lib/node_modules}, {@code usr/local/lib/node_modules},
 *       {@code ~/.npm-global/lib/node_modules};
 *   <li>processes ({@code proc/*}{@code /cmdline}) and whether they run in a container
 *       ({@code proc/*}{@code /cgroup} naming docker, containerd, kubepods, libpod);
 *   <li>listening TCP sockets ({@code proc/net/tcp}, {@code tcp6}) on the products' default ports
 *       and on every {@code gateway.port} found in a config;
 *   <li>Warden homes ({@code .warden}): key and vault file modes.
 * </ul>
 *
 * <h2>Threats and limits</h2>
 * The scan reads untrusted files (another user's config may be hostile): every read is bounded
 * ({@link #MAX_CONFIG_BYTES}, {@link #MAX_CMDLINE_BYTES}, {@link #MAX_SKILL_FILES}), links are not
 * followed into skills, and secret values are never copied into findings (only the key path and the
 * value's length). The scan only reads; it changes nothing.
 */
public final class HostScanner {

  /** Output formats of {@link #run}. */
  public enum Format {
    TEXT,
    JSON,
    SARIF
  }

  /** Products and their state directory / config file names. */
  public static final List<String> PRODUCTS = List.of("openclaw", "moltbot", "clawdbot");
  /**
   * Default ports: the gateway (WebSocket + control UI + canvas), and the browser-control and canvas
   * ports the products open beside it (assumed; see docs/host-scan.md).
   */
  public static final Map<Integer, String> DEFAULT_PORTS = Map.of(18789, "gateway", 18791, "browser control",
      18793, "canvas host");
  /** Largest config or JSON state file parsed. */
  public static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;
  /** Largest /proc/PID/cmdline or cgroup read. */
  public static final int MAX_CMDLINE_BYTES = 64 * 1024;
  /** Most files hashed per skill. */
  public static final int MAX_SKILL_FILES = 500;
  /** Largest skill file hashed. */
  public static final long MAX_SKILL_FILE_BYTES = 16L * 1024 * 1024;
  /** Most processes examined. */
  public static final int MAX_PROCESSES = 100_000;
  /** Most file descriptors of one agent process examined for socket inodes. */
  public static final int MAX_FDS_PER_PROCESS = 4_096;
  /** Most files examined for modes under one credentials directory. */
  public static final int MAX_CREDENTIAL_FILES = 1_000;

  private static final Pattern SECRET_KEY = Pattern.compile(
      "(?i).*(token|apikey|api_key|password|passwd|secret|privatekey|private_key|accesskey|access_key|credential).*");
  private static final Pattern SECRET_VALUE = Pattern.compile(
      "^(sk-[A-Za-z0-9_-]{16,}|sk-ant-[A-Za-z0-9_-]{16,}|ghp_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"
          + "|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{20,}|AKIA[0-9A-Z]{16}|[0-9]{6,}:[A-Za-z0-9_-]{30,})$");
  private static final Pattern REFERENCE = Pattern.compile("^(\\$\\{[A-Za-z0-9_]+\\}|\\$[A-Za-z_][A-Za-z0-9_]*|env:.*|secret:.*|op://.*|wdn-cred:.*)$");
  private static final Pattern CONTAINER_CGROUP = Pattern.compile("(docker|containerd|kubepods|libpod|cri-o|crio)[/-]?([0-9a-f]{12,64})?");

  private final Path root;
  private final SkillDenyList denyList;
  private final List<AgentInstall> installs = new ArrayList<>();
  private final List<Finding> findings = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final Set<Integer> configuredPorts = new TreeSet<>();
  /** Config of each state dir whose gateway has no auth, by port (to correlate with listeners). */
  private final Map<Integer, String> unauthenticatedGateways = new TreeMap<>();
  /** Socket inode → "pid N (product)" for agent processes, to name a listener's owner. */
  private final Map<String, String> socketOwners = new LinkedHashMap<>();

  public HostScanner(Path root, SkillDenyList denyList) {
    this.root = root.toAbsolutePath().normalize();
    this.denyList = denyList;
  }

  /** CLI entry: {@code warden scan-host [--root DIR] [--json|--sarif]}. Exit 0 clean, 1 findings of medium or worse, 2 error. */
  public static int run(Path root, PrintStream out, Format format) {
    return run(root, out, format, SkillDenyList.builtIn());
  }

  public static int run(Path root, PrintStream out, Format format, SkillDenyList denyList) {
    if (!Files.isDirectory(root)) {
      out.println("scan-host: " + root + " is not a directory; pass --root DIR pointing at a host's file system");
      return 2;
    }
    ScanReport r = new HostScanner(root, denyList).scan();
    out.print(switch (format) {
      case TEXT -> toText(r);
      case JSON -> toJson(r);
      case SARIF -> toSarif(r);
    });
    out.flush();
    return r.atLeast(Severity.MEDIUM).isEmpty() ? 0 : 1;
  }

  /** Scans once. Unreadable parts become {@link ScanReport#errors()}, not exceptions. */
  public ScanReport scan() {
    installs.clear();
    findings.clear();
    errors.clear();
    socketOwners.clear();
    configuredPorts.clear();
    unauthenticatedGateways.clear();
    List<Path[]> homes = userHomes();
    for (Path[] h : homes) {
      String user = h[1].getFileName().toString();
      for (String product : PRODUCTS) {
        Path state = h[0].resolve("." + product);
        if (Files.isDirectory(state, LinkOption.NOFOLLOW_LINKS)) {
          guard("state directory " + shown(state), () -> scanStateDir(state, product, user));
        }
      }
      Path warden = h[0].resolve(".warden");
      if (Files.isDirectory(warden, LinkOption.NOFOLLOW_LINKS)) {
        guard("Warden home " + shown(warden), () -> scanWardenHome(warden, user));
      }
      Path npmGlobal = h[0].resolve(".npm-global/lib/node_modules");
      guard("npm globals of " + user, () -> scanNpm(npmGlobal, user));
    }
    for (String lib : List.of("usr/lib/node_modules", "usr/local/lib/node_modules")) {
      guard("npm globals in /" + lib, () -> scanNpm(root.resolve(lib), null));
    }
    guard("processes", this::scanProcesses);
    guard("listening sockets", this::scanListeners);
    findings.sort(Comparator.comparing((Finding f) -> f.severity().ordinal()).thenComparing(Finding::id)
        .thenComparing(Finding::location));
    return new ScanReport(root.toString(), installs, findings, errors);
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private void guard(String what, IoAction a) {
    try {
      a.run();
    } catch (IOException | RuntimeException e) {
      errors.add("cannot scan " + what + ": " + e.getMessage());
    }
  }

  /** {home dir, dir whose name is the user}: home/* and root. */
  private List<Path[]> userHomes() {
    List<Path[]> out = new ArrayList<>();
    Path homeDir = root.resolve("home");
    if (Files.isDirectory(homeDir)) {
      try (Stream<Path> s = Files.list(homeDir)) {
        s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().forEach(p -> out.add(new Path[] {p, p}));
      } catch (IOException e) {
        errors.add("cannot list " + shown(homeDir) + ": " + e.getMessage());
      }
    }
    Path r = root.resolve("root");
    if (Files.isDirectory(r, LinkOption.NOFOLLOW_LINKS)) {
      out.add(new Path[] {r, r});
    }
    return out;
  }

  /** The path as it is on the scanned host ({@code /home/alice/.openclaw}). */
  private String shown(Path p) {
    Path rel = root.relativize(p.toAbsolutePath().normalize());
    return "/" + rel.toString().replace('\\', '/');
  }

  private void add(Rule rule, Path where, String detail, String installId) {
    findings.add(new Finding(rule, rule.severity(), shown(where), detail, installId));
  }

  private void add(Rule rule, Severity severity, String location, String detail, String installId) {
    findings.add(new Finding(rule, severity, location, detail, installId));
  }

  // ---------------------------------------------------------------------------------------------
  // state directories

  private void scanStateDir(Path state, String product, String user) throws IOException {
    String id = "state:" + shown(state);
    Map<String, String> facts = new LinkedHashMap<>();
    Path config = null;
    for (String p : PRODUCTS) {
      Path c = state.resolve(p + ".json");
      if (Files.isRegularFile(c, LinkOption.NOFOLLOW_LINKS)) {
        config = c;
        break;
      }
    }
    facts.put("config", config == null ? "none" : shown(config));
    installs.add(new AgentInstall(id, AgentInstall.Kind.STATE_DIRECTORY, product, shown(state), user, facts));
    add(Rule.AGENT_RUNTIME_FOUND, state, product + " state directory of user " + user, id);
    if (!product.equals("openclaw")) {
      add(Rule.LEGACY_PRODUCT, state, "state directory ." + product + " (the product is now OpenClaw)", id);
    }
    checkMode(state, true, id);
    if (config != null) {
      checkMode(config, false, id);
      auditConfig(config, id);
    } else {
      add(Rule.SANDBOX_UNSET, state, "no config file: the product runs with its defaults (tools on the host)", id);
    }
    Path env = state.resolve(".env");
    if (Files.isRegularFile(env, LinkOption.NOFOLLOW_LINKS)) {
      checkMode(env, false, id);
      auditDotEnv(env, id);
    }
    for (String f : List.of("exec-approvals.json", "identity/device.json")) {
      Path p = state.resolve(f);
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        checkMode(p, false, id);
      }
    }
    Path creds = state.resolve("credentials");
    if (Files.isDirectory(creds, LinkOption.NOFOLLOW_LINKS)) {
      checkMode(creds, true, id);
      checkModesUnder(creds, id);
    }
    Path agents = state.resolve("agents");
    if (Files.isDirectory(agents, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(agents)) {
        for (Path a : ds) {
          Path ap = a.resolve("agent/auth-profiles.json");
          if (Files.isRegularFile(ap, LinkOption.NOFOLLOW_LINKS)) {
            checkMode(ap, false, id);
            auditSecretsFile(ap, id);
          }
        }
      }
    }
    for (String skillsDir : List.of("skills", "workspace/skills")) {
      Path sd = state.resolve(skillsDir);
      if (Files.isDirectory(sd, LinkOption.NOFOLLOW_LINKS)) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(sd)) {
          for (Path skill : ds) {
            if (Files.isDirectory(skill, LinkOption.NOFOLLOW_LINKS)) {
              auditSkill(skill, id);
            }
          }
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void auditConfig(Path config, String id) throws IOException {
    Map<String, Object> cfg;
    try {
      cfg = Json.json5Map(readBounded(config));
    } catch (IOException e) {
      add(Rule.CONFIG_UNREADABLE, config, "not valid JSON5: " + firstLine(e.getMessage()), id);
      return;
    }
    // Gateway exposure.
    Map<String, Object> gw = map(cfg.get("gateway"));
    String bind = str(gw.get("bind"), "loopback");
    String host = str(gw.get("host"), "");
    String funnel = str(map(gw.get("tailscale")).get("mode"), "off");
    int port = gw.get("port") instanceof Number n ? n.intValue() : 18789;
    configuredPorts.add(port);
    Map<String, Object> auth = map(gw.get("auth"));
    String mode = str(auth.get("mode"), "");
    boolean hasToken = present(auth.get("token"));
    boolean hasPassword = present(auth.get("password"));
    boolean authOn = switch (mode) {
      case "token" -> hasToken;
      case "password" -> hasPassword;
      case "trusted-proxy" -> true;
      case "none" -> false;
      default -> hasToken || hasPassword;
    };
    boolean beyondLoopback = switch (bind) {
      case "loopback", "localhost", "127.0.0.1", "::1" -> false;
      case "custom" -> !(host.startsWith("127.") || host.equals("::1") || host.equals("localhost"));
      default -> true;
    } || funnel.equals("funnel");
    if (beyondLoopback && !authOn) {
      add(Rule.GATEWAY_EXPOSED_NO_AUTH, config, "gateway.bind=\"" + bind + "\"" + (funnel.equals("funnel")
          ? ", tailscale funnel (public internet)" : "") + ", gateway.auth.mode=\"" + (mode.isEmpty() ? "(unset)" : mode)
          + "\" with no usable token or password; port " + port, id);
      unauthenticatedGateways.put(port, shown(config));
    }
    // Plaintext secrets anywhere in the config.
    walkSecrets(cfg, "", config, id);
    // Sandbox.
    Map<String, Object> agents = map(cfg.get("agents"));
    Map<String, Object> sandbox = map(map(agents.get("defaults")).get("sandbox"));
    String sbMode = str(sandbox.get("mode"), "");
    if (sbMode.equals("off")) {
      add(Rule.SANDBOX_OFF, config, "agents.defaults.sandbox.mode=\"off\": every tool runs on the host", id);
    } else if (sbMode.isEmpty()) {
      add(Rule.SANDBOX_UNSET, config, "agents.defaults.sandbox.mode is not set", id);
    }
    if (agents.get("list") instanceof List<?> list) {
      for (Object o : list) {
        Map<String, Object> a = map(o);
        if ("off".equals(str(map(a.get("sandbox")).get("mode"), ""))) {
          add(Rule.SANDBOX_OFF, config, "agent \"" + str(a.get("id"), "?") + "\": sandbox.mode=\"off\"", id);
        }
        auditExec(map(a.get("tools")), "agents.list[" + str(a.get("id"), "?") + "].tools", config, id);
      }
    }
    // DM policy.
    Map<String, Object> channels = map(cfg.get("channels"));
    for (Map.Entry<String, Object> ch : channels.entrySet()) {
      auditDm(ch.getKey(), map(ch.getValue()), "channels." + ch.getKey(), config, id);
    }
    // Exec.
    auditExec(map(cfg.get("tools")), "tools", config, id);
  }

  private void auditDm(String channel, Map<String, Object> c, String path, Path config, String id) {
    String policy = str(c.get("dmPolicy"), "");
    if (policy.isEmpty() && c.get("dm") instanceof Map<?, ?> dm) {
      policy = str(dm.get("policy"), "");
    } else if (policy.isEmpty() && c.get("dm") instanceof String s) {
      policy = s;
    }
    boolean wildcard = c.get("allowFrom") instanceof List<?> l && l.contains("*");
    if (policy.equals("open") || wildcard) {
      add(Rule.OPEN_DM_POLICY, config, path + (policy.equals("open") ? ".dmPolicy=\"open\"" : "")
          + (wildcard ? " allowFrom contains \"*\"" : "") + ": any " + channel + " user can instruct the agent", id);
    }
    Object accounts = c.get("accounts");
    if (accounts instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        auditDm(channel, map(e.getValue()), path + ".accounts." + e.getKey(), config, id);
      }
    }
  }

  private void auditExec(Map<String, Object> tools, String path, Path config, String id) {
    Map<String, Object> exec = map(tools.get("exec"));
    String security = str(exec.get("security"), "");
    String ask = str(exec.get("ask"), "");
    if (security.equals("full")) {
      add(Rule.UNRESTRICTED_EXEC, config, path + ".exec.security=\"full\"" + (ask.equals("off")
          ? " and ask=\"off\": any command runs without approval" : ": any command may run"), id);
    }
    Map<String, Object> elevated = map(tools.get("elevated"));
    if (Boolean.TRUE.equals(elevated.get("enabled"))) {
      add(Rule.ELEVATED_EXEC, config, path + ".elevated.enabled=true", id);
    }
  }

  private void walkSecrets(Object node, String path, Path file, String id) {
    if (node instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String key = String.valueOf(e.getKey());
        String p = path.isEmpty() ? key : path + "." + key;
        Object v = e.getValue();
        if (v instanceof String s && isLiteralSecret(key, s, path)) {
          add(Rule.PLAINTEXT_SECRET, file, p + " holds a literal value (" + s.length() + " chars, not shown)", id);
        } else {
          walkSecrets(v, p, file, id);
        }
      }
    } else if (node instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        walkSecrets(l.get(i), path + "[" + i + "]", file, id);
      }
    }
  }

  private static boolean isLiteralSecret(String key, String value, String parentPath) {
    String v = value.strip();
    if (v.isEmpty() || REFERENCE.matcher(v).matches()) {
      return false;
    }
    if (SECRET_VALUE.matcher(v).matches()) {
      return true;
    }
    boolean envBlock = parentPath.equals("env") || parentPath.startsWith("env.");
    String k = key.toLowerCase(Locale.ROOT);
    if (k.equals("mode") || k.endsWith("file") || k.endsWith("path") || k.endsWith("env") || k.equals("source")
        || k.equals("id") || k.endsWith("url")) {
      return false;
    }
    return SECRET_KEY.matcher(key).matches() || envBlock && SECRET_KEY.matcher(key).matches();
  }

  private void auditDotEnv(Path env, String id) throws IOException {
    int lineNo = 0;
    for (String line : readBounded(env).split("\n")) {
      lineNo++;
      String l = line.strip();
      if (l.startsWith("#") || !l.contains("=")) {
        continue;
      }
      if (l.startsWith("export ")) {
        l = l.substring(7).strip();
      }
      String k = l.substring(0, l.indexOf('=')).strip();
      String v = l.substring(l.indexOf('=') + 1).strip().replaceAll("^[\"']|[\"']$", "");
      if (isLiteralSecret(k, v, "env")) {
        add(Rule.PLAINTEXT_SECRET, env, "line " + lineNo + ": " + k + " holds a literal value (" + v.length()
            + " chars, not shown)", id);
      }
    }
  }

  private void auditSecretsFile(Path file, String id) throws IOException {
    try {
      Object doc = Json.json5Map(readBounded(file));
      walkSecrets(doc, "", file, id);
    } catch (IOException e) {
      add(Rule.CONFIG_UNREADABLE, file, "not valid JSON: " + firstLine(e.getMessage()), id);
    }
  }

  private void auditSkill(Path skill, String id) throws IOException {
    String name = skill.getFileName().toString();
    boolean hasOrigin = Files.isRegularFile(skill.resolve(".clawhub/origin.json"), LinkOption.NOFOLLOW_LINKS)
        || Files.isRegularFile(skill.resolve("_meta.json"), LinkOption.NOFOLLOW_LINKS)
        || Files.isRegularFile(skill.resolve("warden-manifest.json"), LinkOption.NOFOLLOW_LINKS);
    int n = 0;
    try (Stream<Path> s = Files.walk(skill)) {
      for (Path f : s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
        if (++n > MAX_SKILL_FILES) {
          errors.add("skill " + shown(skill) + " has more than " + MAX_SKILL_FILES + " files; the rest were not hashed");
          break;
        }
        if (Files.size(f) > MAX_SKILL_FILE_BYTES) {
          continue;
        }
        String sha = Hashing.sha256Hex(Files.readAllBytes(f));
        var reason = denyList.reason(sha);
        if (reason.isPresent()) {
          add(Rule.KNOWN_BAD_SKILL, f, "skill \"" + name + "\": sha256 " + sha + " is on the deny list (" + reason.get() + ")", id);
        }
      }
    }
    if (!hasOrigin) {
      add(Rule.UNKNOWN_SOURCE_SKILL, skill, "skill \"" + name + "\" has no origin record (.clawhub/origin.json or _meta.json): "
          + "copied in by hand or by another tool", id);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // modes

  private void checkMode(Path p, boolean dir, String id) throws IOException {
    if (Files.isSymbolicLink(p)) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
    boolean or = perms.contains(PosixFilePermission.OTHERS_READ);
    boolean ow = perms.contains(PosixFilePermission.OTHERS_WRITE);
    if (!or && !ow) {
      return;
    }
    String mode = dev.warden.monitor.snapshot.internal.HomeFiles.toOctal(perms);
    if (dir) {
      add(Rule.WORLD_READABLE_STATE_DIR, ow ? Severity.HIGH : Severity.MEDIUM, shown(p),
          "mode " + mode + (ow ? ": other users can write into it" : ": other users can list and enter it"), id);
    } else {
      add(Rule.WORLD_READABLE_STATE, ow ? Severity.CRITICAL : Severity.HIGH, shown(p),
          "mode " + mode + (ow ? ": other users can change it" : ": other users can read it"), id);
    }
  }

  private void checkModesUnder(Path dir, String id) throws IOException {
    int n = 0;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(p -> !p.equals(dir)).sorted().toList()) {
        if (++n > MAX_CREDENTIAL_FILES) {
          break;
        }
        checkMode(f, Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS), id);
        if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && f.toString().endsWith(".json")) {
          auditSecretsFile(f, id);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Warden homes

  private void scanWardenHome(Path home, String user) throws IOException {
    String id = "warden:" + shown(home);
    installs.add(new AgentInstall(id, AgentInstall.Kind.WARDEN_HOME, "warden", shown(home), user,
        Map.of("config", Files.exists(home.resolve("warden.yaml")) ? shown(home.resolve("warden.yaml")) : "none")));
    add(Rule.AGENT_RUNTIME_FOUND, home, "Warden home of user " + user, id);
    checkMode(home, true, id);
    for (String f : List.of("warden.yaml", "state.db", "keys/agent-ed25519.key", "vault/secrets.wdv", "vault/vault.key")) {
      Path p = home.resolve(f);
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        checkMode(p, false, id);
      }
    }
    Path keys = home.resolve("keys");
    if (Files.isDirectory(keys, LinkOption.NOFOLLOW_LINKS)) {
      checkMode(keys, true, id);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // npm

  private void scanNpm(Path modules, String userOrNull) throws IOException {
    if (!Files.isDirectory(modules)) {
      return;
    }
    for (String product : PRODUCTS) {
      Path pkg = modules.resolve(product);
      if (!Files.isDirectory(pkg)) {
        continue;
      }
      String version = "unknown";
      Path pj = pkg.resolve("package.json");
      if (Files.isRegularFile(pj)) {
        try {
          version = str(Json.json5Map(readBounded(pj)).get("version"), "unknown");
        } catch (IOException e) {
          errors.add("cannot read " + shown(pj) + ": " + firstLine(e.getMessage()));
        }
      }
      String id = "npm:" + shown(pkg);
      installs.add(new AgentInstall(id, AgentInstall.Kind.NPM_GLOBAL_INSTALL, product, shown(pkg), userOrNull,
          Map.of("version", version)));
      add(Rule.AGENT_RUNTIME_FOUND, pkg, product + " " + version + " installed globally with npm", id);
      if (!product.equals("openclaw")) {
        add(Rule.LEGACY_PRODUCT, pkg, "npm package " + product + " " + version, id);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // processes and sockets

  private void scanProcesses() throws IOException {
    Path proc = root.resolve("proc");
    if (!Files.isDirectory(proc)) {
      return;
    }
    List<Path> pids;
    try (Stream<Path> s = Files.list(proc)) {
      pids = s.filter(p -> p.getFileName().toString().matches("[0-9]+")).sorted(
          Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString()))).limit(MAX_PROCESSES).toList();
    }
    for (Path p : pids) {
      String cmd;
      try {
        cmd = readBounded(p.resolve("cmdline"), MAX_CMDLINE_BYTES);
      } catch (IOException e) {
        continue; // Exited, or not ours to read.
      }
      List<String> argv = List.of(cmd.split("\0"));
      String joined = String.join(" ", argv).toLowerCase(Locale.ROOT);
      if (joined.contains("scan-host")) {
        continue; // This scan itself, when --root names a fixture.
      }
      String product = null;
      for (String pr : PRODUCTS) {
        for (String a : argv) {
          String base = a.substring(a.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
          if (base.startsWith(pr) || a.toLowerCase(Locale.ROOT).contains("/" + pr + "/")) {
            product = pr;
          }
        }
      }
      if (product == null) {
        continue;
      }
      String pid = p.getFileName().toString();
      boolean gateway = argv.stream().anyMatch(a -> a.equals("gateway") || a.endsWith("-gateway"));
      Map<String, String> facts = new LinkedHashMap<>();
      facts.put("pid", pid);
      facts.put("cmdline", String.join(" ", argv).replaceAll("(?i)(--(token|password|api-key)[= ])\\S+", "$1***"));
      String container = null;
      try {
        String cg = readBounded(p.resolve("cgroup"), MAX_CMDLINE_BYTES);
        var m = CONTAINER_CGROUP.matcher(cg);
        if (m.find()) {
          container = m.group(1) + (m.group(2) == null ? "" : ":" + m.group(2).substring(0, Math.min(12, m.group(2).length())));
        }
      } catch (IOException ignored) {
        // No cgroup file: not in a container as far as we can tell.
      }
      if (container != null) {
        facts.put("container", container);
      }
      collectSockets(p, pid + " (" + product + (gateway ? " gateway" : "") + ")");
      String id = "pid:" + pid;
      installs.add(new AgentInstall(id, gateway ? AgentInstall.Kind.GATEWAY_PROCESS : AgentInstall.Kind.AGENT_PROCESS,
          product, "pid " + pid, null, facts));
      add(Rule.AGENT_RUNTIME_FOUND, Severity.INFO, "/proc/" + pid + "/cmdline",
          product + (gateway ? " gateway" : "") + " process " + pid + ": " + facts.get("cmdline"), id);
      if (container != null) {
        add(Rule.AGENT_IN_CONTAINER, Severity.INFO, "/proc/" + pid + "/cgroup",
            product + " process " + pid + " runs in a container (" + container + ")", id);
      }
    }
  }

  /** Records which socket inodes the process holds (readable for our own processes, or as root). */
  private void collectSockets(Path procDir, String owner) {
    Path fd = procDir.resolve("fd");
    if (!Files.isDirectory(fd)) {
      return;
    }
    int n = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(fd)) {
      for (Path f : ds) {
        if (++n > MAX_FDS_PER_PROCESS) {
          break;
        }
        try {
          String target = Files.readSymbolicLink(f).toString();
          if (target.startsWith("socket:[") && target.endsWith("]")) {
            socketOwners.putIfAbsent(target.substring(8, target.length() - 1), owner);
          }
        } catch (IOException | UnsupportedOperationException ignored) {
          // Not a link, or not ours to read.
        }
      }
    } catch (IOException ignored) {
      // fd/ of another user's process: unreadable without root.
    }
  }

  private void scanListeners() throws IOException {
    Set<Integer> ports = new TreeSet<>(DEFAULT_PORTS.keySet());
    ports.addAll(configuredPorts);
    Set<String> seen = new LinkedHashSet<>();
    for (String f : List.of("proc/net/tcp", "proc/net/tcp6")) {
      Path file = root.resolve(f);
      if (!Files.isRegularFile(file)) {
        continue;
      }
      boolean v6 = f.endsWith("6");
      for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
        String[] cols = line.strip().split("\\s+");
        if (cols.length < 4 || !cols[0].endsWith(":") || !cols[3].equals("0A")) {
          continue; // Header, or not LISTEN.
        }
        String[] local = cols[1].split(":");
        if (local.length != 2) {
          continue;
        }
        int port = Integer.parseInt(local[1], 16);
        if (!ports.contains(port)) {
          continue;
        }
        String addr = v6 ? ipv6(local[0]) : ipv4(local[0]);
        if (!seen.add(addr + "|" + port)) {
          continue;
        }
        String owner = cols.length > 9 ? socketOwners.get(cols[9]) : null;
        String what = DEFAULT_PORTS.getOrDefault(port, "configured gateway port")
            + (owner == null ? "" : " of pid " + owner);
        String id = "tcp:" + (addr.contains(":") ? "[" + addr + "]" : addr) + ":" + port;
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("address", addr);
        facts.put("port", String.valueOf(port));
        facts.put("role", DEFAULT_PORTS.getOrDefault(port, "configured gateway port"));
        if (owner != null) {
          facts.put("owner", owner);
        }
        installs.add(new AgentInstall(id, AgentInstall.Kind.LISTENING_PORT, "openclaw", "tcp " + addr + " port " + port,
            null, facts));
        String location = "/" + f + ":" + port;
        boolean all = addr.equals("0.0.0.0") || addr.equals("::");
        boolean loop = addr.startsWith("127.") || addr.equals("::1") || addr.startsWith("::ffff:127.");
        if (all) {
          String noAuth = unauthenticatedGateways.get(port);
          add(Rule.GATEWAY_LISTENS_ALL_INTERFACES, noAuth != null ? Severity.CRITICAL : Severity.HIGH, location,
              what + " port " + port + " listens on " + addr + " (every interface)"
                  + (noAuth != null ? "; " + noAuth + " configures no gateway auth" : ""), id);
        } else if (!loop) {
          add(Rule.GATEWAY_LISTENS_NON_LOOPBACK, location, what + " port " + port + " listens on " + addr, id);
        }
      }
    }
  }

  private void add(Rule rule, String location, String detail, String id) {
    findings.add(new Finding(rule, rule.severity(), location, detail, id));
  }

  /** {@code 0100007F} → 127.0.0.1 (the kernel prints the address in host byte order, little-endian here). */
  static String ipv4(String hex) {
    long v = Long.parseLong(hex, 16);
    return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
  }

  /** 32 hex digits = four 32-bit words, each in host byte order. */
  static String ipv6(String hex) {
    byte[] b = new byte[16];
    for (int w = 0; w < 4; w++) {
      for (int i = 0; i < 4; i++) {
        int off = w * 8 + (3 - i) * 2;
        b[w * 4 + i] = (byte) Integer.parseInt(hex.substring(off, off + 2), 16);
      }
    }
    boolean mapped = true;
    for (int i = 0; i < 10; i++) {
      mapped &= b[i] == 0;
    }
    mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    if (mapped) {
      return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
    }
    try {
      String s = java.net.InetAddress.getByAddress(b).getHostAddress();
      return s.equals("0:0:0:0:0:0:0:0") ? "::" : s.equals("0:0:0:0:0:0:0:1") ? "::1" : s;
    } catch (java.net.UnknownHostException e) {
      return hex;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private static String readBounded(Path p) throws IOException {
    return readBounded(p, MAX_CONFIG_BYTES);
  }

  private static String readBounded(Path p, int max) throws IOException {
    try (var in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) {
        throw new IOException(p + " is larger than " + max + " bytes; not parsed");
      }
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String str(Object o, String dflt) {
    return o instanceof String s ? s : o == null ? dflt : o.toString();
  }

  private static boolean present(Object o) {
    return o instanceof String s ? !s.isBlank() : o instanceof Map<?, ?> m && !m.isEmpty();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  // ---------------------------------------------------------------------------------------------
  // output

  public static String toText(ScanReport r) {
    StringBuilder sb = new StringBuilder();
    sb.append("Agent runtimes found: ").append(r.installs().size()).append('\n');
    for (AgentInstall i : r.installs()) {
      sb.append("  ").append(i.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')).append(": ").append(i.product())
          .append(" at ").append(i.location()).append(i.userOrNull() == null ? "" : " (user " + i.userOrNull() + ")")
          .append(i.facts().isEmpty() ? "" : " " + new TreeMap<>(i.facts())).append('\n');
    }
    sb.append('\n').append("Findings: ").append(r.findings().size()).append('\n');
    for (Finding f : r.findings()) {
      sb.append("[").append(f.severity()).append("] ").append(f.id()).append(" ").append(f.rule().title()).append('\n')
          .append("    at ").append(f.location()).append('\n')
          .append("    ").append(f.detail()).append('\n')
          .append("    fix: ").append(f.fix()).append('\n');
    }
    for (String e : r.errors()) {
      sb.append("error: ").append(e).append('\n');
    }
    return sb.toString();
  }

  public static String toJson(ScanReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Object> installs = new ArrayList<>();
    for (AgentInstall i : r.installs()) {
      Map<String, Object> im = new LinkedHashMap<>();
      im.put("id", i.id());
      im.put("kind", i.kind().name().toLowerCase(Locale.ROOT));
      im.put("product", i.product());
      im.put("location", i.location());
      im.put("user", i.userOrNull());
      im.put("facts", new TreeMap<>(i.facts()));
      installs.add(im);
    }
    List<Object> fs = new ArrayList<>();
    for (Finding f : r.findings()) {
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("id", f.id());
      fm.put("rule", f.rule().name().toLowerCase(Locale.ROOT));
      fm.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
      fm.put("title", f.rule().title());
      fm.put("location", f.location());
      fm.put("detail", f.detail());
      fm.put("fix", f.fix());
      fm.put("install", f.installId());
      fs.add(fm);
    }
    m.put("root", r.root());
    m.put("installs", installs);
    m.put("findings", fs);
    m.put("errors", r.errors());
    return Json.pretty(m) + "\n";
  }

  /** SARIF 2.1.0: one run, every {@link Rule} in the driver, one result per finding. */
  public static String toSarif(ScanReport r) {
    List<Object> rules = new ArrayList<>();
    Map<Rule, Integer> index = new LinkedHashMap<>();
    for (Rule rule : Rule.values()) {
      index.put(rule, rules.size());
      Map<String, Object> rm = new LinkedHashMap<>();
      rm.put("id", rule.id());
      rm.put("name", camel(rule.name()));
      rm.put("shortDescription", Map.of("text", rule.title()));
      rm.put("help", Map.of("text", rule.fix()));
      rm.put("defaultConfiguration", Map.of("level", rule.severity().sarifLevel()));
      rm.put("properties", Map.of("security-severity", rule.severity().securitySeverity(), "tags",
          List.of("security", "agent-runtime")));
      rules.add(rm);
    }
    List<Object> results = new ArrayList<>();
    for (Finding f : r.findings()) {
      Map<String, Object> res = new LinkedHashMap<>();
      res.put("ruleId", f.id());
      res.put("ruleIndex", index.get(f.rule()));
      res.put("level", f.severity().sarifLevel());
      res.put("message", Map.of("text", f.rule().title() + ": " + f.detail() + ". Fix: " + f.fix()));
      String loc = f.location();
      int colon = loc.lastIndexOf(':');
      String file = colon > 0 && loc.startsWith("/proc/net/") ? loc.substring(0, colon) : loc;
      res.put("locations", List.of(Map.of("physicalLocation", Map.of("artifactLocation",
          Map.of("uri", "file://" + file.replace(" ", "%20"))))));
      res.put("properties", Map.of("severity", f.severity().name().toLowerCase(Locale.ROOT), "install", f.installId()));
      results.add(res);
    }
    Map<String, Object> driver = new LinkedHashMap<>();
    driver.put("name", "warden-scan-host");
    driver.put("version", "0.1.0");
    driver.put("rules", rules);
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("tool", Map.of("driver", driver));
    run.put("results", results);
    Map<String, Object> sarif = new LinkedHashMap<>();
    sarif.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    sarif.put("version", "2.1.0");
    sarif.put("runs", List.of(run));
    return Json.pretty(sarif) + "\n";
  }

  private static String camel(String enumName) {
    StringBuilder sb = new StringBuilder();
    boolean up = false;
    for (char c : enumName.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        sb.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return sb.toString();
  }
}
