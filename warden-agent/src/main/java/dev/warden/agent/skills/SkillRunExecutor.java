package dev.warden.agent.skills;

import dev.warden.agent.exec.SandboxEgress;
import dev.warden.agent.exec.SandboxOutput;
import dev.warden.agent.exec.Workspace;
import dev.warden.egress.EgressProxy;
import dev.warden.kernel.Action;
import dev.warden.kernel.ActionExecutor;
import dev.warden.kernel.Decision;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.Label;
import dev.warden.kernel.SessionContext;
import dev.warden.kernel.WardenSecurityException;
import dev.warden.registry.pkg.PackageManifest;
import dev.warden.registry.skill.CredentialPermission;
import dev.warden.registry.skill.PermissionManifest;
import dev.warden.registry.skill.Skill;
import dev.warden.registry.skill.SkillLoader;
import dev.warden.registry.skill.SkillTier;
import dev.warden.sandbox.Limits;
import dev.warden.sandbox.NetworkAccess;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxResult;
import dev.warden.sandbox.SandboxSpec;
import dev.warden.vault.Vault;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Executes {@link Action.SkillRun}: one script of an installed (managed) skill, in the process
 * sandbox, with exactly the skill's permission manifest intersected with the owner's grants.
 *
 * <h2>Design notes</h2>
 * <b>What runs.</b> Only skills under {@code WARDEN_HOME/skills/<name>} (never a quarantined or
 * workspace copy). A skill with no manifest ({@link PermissionManifest#NONE}) or no executables gets
 * no scripts. The script must be a regular file inside the skill folder (no {@code ..}, no link out)
 * and either be declared itself in {@code executables} or be run by an interpreter (its {@code #!}
 * line) that is declared there — and granted by the owner.
 *
 * <p><b>Sandbox.</b> The skill folder is bound read-only at {@code /skills/<name>}; the workspace
 * is the working directory as for {@code exec}. No network unless the effective manifest names
 * hosts; then a per-run egress proxy refuses any host or credential outside the effective manifest
 * (recorded as a {@code skill/egress_refused} event, naming the undeclared host) before asking the
 * kernel as the session, so policy, labels and credential bindings still apply.
 *
 * <p><b>Credentials.</b> Only declared-and-granted credentials that exist in the vault get a
 * placeholder ({@code WARDEN_CRED_<NAME>}); the proxy injects the real value toward bound hosts.
 */
public final class SkillRunExecutor {
  /** Where a skill's folder appears inside the sandbox. */
  public static final String SKILLS_IN_SANDBOX = "/skills";
  /** Longest {@code #!} line read, in bytes. */
  public static final int MAX_SHEBANG_BYTES = 256;
  private static final java.util.regex.Pattern ENV_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Where granted read paths of the workspace appear inside the sandbox. */
  public static final String DATA_IN_SANDBOX = "/data";
  /** Per-run scratch workspaces, under WARDEN_HOME/run. */
  public static final String SCRATCH_DIR = "skill-work";

  private final Supplier<Sandbox> sandbox;
  private final Path runDir;
  private final Workspace workspace;
  private final SkillInstallExecutor installs;
  private final SkillInventory inventory;
  private final SandboxEgress egress;
  private final Vault vault;
  private final Kernel kernel;
  private final Limits limits;

  public SkillRunExecutor(Supplier<Sandbox> sandbox, Path runDir, Workspace workspace, SkillInstallExecutor installs,
      SkillInventory inventory, SandboxEgress egress, Vault vault, Kernel kernel, Limits limits) {
    this.sandbox = sandbox;
    this.runDir = runDir;
    this.workspace = workspace;
    this.installs = installs;
    this.inventory = inventory;
    this.egress = egress;
    this.vault = vault;
    this.kernel = kernel;
    this.limits = limits;
  }

  public void registerWith(Kernel k) {
    k.register(Action.SkillRun.class, this::execute);
  }

  ActionExecutor.Result execute(Action.SkillRun a, SessionContext s) throws Exception {
    String name = a.skill();
    try {
      PackageManifest.requireName(name);
    } catch (IllegalArgumentException e) {
      throw refuse(a, s, "'" + name + "' is not a skill name: " + e.getMessage());
    }
    Path dir = installs.skillsDir().resolve(name);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw refuse(a, s, "skill " + name + " is not installed in " + installs.skillsDir()
          + " (quarantined skills cannot run); `warden skills list` shows what is");
    }
    Skill skill = SkillLoader.load(dir, SkillTier.MANAGED);
    PermissionManifest declared = skill.manifest();
    if (!declared.allowsScripts()) {
      throw refuse(a, s, "skill " + name + " declares no executables in a permission manifest: a skill with no manifest gets no "
          + "scripts (add `metadata.warden.executables` and publish a new version)");
    }
    PermissionManifest effective = declared.intersect(installs.settings().grantsFor(declared.executables()));
    Path rel = Path.of(a.script()).normalize();
    if (rel.isAbsolute() || rel.startsWith("..") || rel.toString().isEmpty()) {
      throw refuse(a, s, "script '" + a.script() + "' is outside skill " + name + "; give a path inside the skill folder");
    }
    Path script = dir.resolve(rel);
    if (!Files.isRegularFile(script, LinkOption.NOFOLLOW_LINKS) || !script.toRealPath().startsWith(dir.toRealPath())) {
      throw refuse(a, s, "script '" + rel + "' is not a regular file inside skill " + name + " (files: " + skill.extraFiles() + ")");
    }
    String relText = rel.toString().replace('\\', '/');
    String inBox = SKILLS_IN_SANDBOX + "/" + name + "/" + relText;
    List<String> argv = new ArrayList<>();
    if (effective.executables().contains(relText) && Files.isExecutable(script)) {
      argv.add(inBox);
    } else {
      String interpreter = interpreterOf(script);
      if (interpreter == null || !effective.executables().contains(interpreter)) {
        throw refuse(a, s, "script '" + relText + "' of skill " + name + " is not runnable with its permissions: it is "
            + (interpreter == null ? "not declared" : "run by '" + interpreter + "', which is not") + " in the effective executables "
            + effective.executables() + " (declared " + declared.executables() + ", granted by skills.grants.executables in warden.yaml)");
      }
      argv.add(interpreter);
      argv.add(inBox);
    }
    argv.addAll(a.args());
    // Files: the agent's workspace only when the owner granted the skill a write path (the sandbox
    // binds one writable tree, so a write grant is coarser than the manifest: the whole workspace);
    // otherwise a private scratch workspace, deleted after the run, with granted read paths of the
    // workspace bound read-only under /data.
    Sandbox box = sandbox.get();
    boolean agentWorkspace = !effective.writePaths().isEmpty();
    Path scratch = agentWorkspace ? null : runDir.resolve(SCRATCH_DIR).resolve(name + "-" + Long.toHexString(System.nanoTime()));
    if (scratch != null) {
      Files.createDirectories(scratch);
    }
    SandboxSpec.Builder spec = SandboxSpec.builder(agentWorkspace ? workspace.root() : scratch, argv).limits(limits)
        .readOnlyBind(dir.toRealPath(), SKILLS_IN_SANDBOX + "/" + name)
        .env("SKILL_DIR", SKILLS_IN_SANDBOX + "/" + name);
    List<String> bound = new ArrayList<>();
    if (!agentWorkspace) {
      Path wsReal = workspace.root().toRealPath();
      for (String p : effective.readPaths()) {
        String under = p.startsWith("workspace/") ? p.substring("workspace/".length()) : p;
        Path host = wsReal.resolve(under).normalize();
        if (under.isEmpty() || under.equals("workspace") || !Files.exists(host) || !host.toRealPath().startsWith(wsReal)) {
          continue;
        }
        spec.readOnlyBind(host.toRealPath(), DATA_IN_SANDBOX + "/" + under);
        bound.add(under);
      }
    }
    List<String> placeholders = new ArrayList<>();
    for (CredentialPermission c : effective.credentials()) {
      if (vault.metadata(c.name()).map(m -> !m.suspended()).orElse(false)) {
        // Under its own name, as OpenClaw skills read it ($SLACK_BOT_TOKEN), and as exec names it.
        if (ENV_NAME.matcher(c.name()).matches() && !SandboxSpec.MANAGED_ENV.contains(c.name())) {
          spec.env(c.name(), Vault.placeholder(c.name()));
        }
        spec.env("WARDEN_CRED_" + c.name().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), Vault.placeholder(c.name()));
        placeholders.add(c.name());
      }
    }
    boolean network = !effective.networkHosts().isEmpty();
    EgressProxy proxy = null;
    try {
      if (network) {
        proxy = egress.start(s, (request, credentials) -> manifestCheck(name, effective, request, credentials, s));
        spec.network(NetworkAccess.proxy(proxy.unixSocketPath().orElseThrow())).caBundle(egress.ca().bundlePath());
      }
      SandboxResult r = box.run(spec.build());
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("skill", name);
      details.put("script", relText);
      details.putAll(SandboxOutput.details(r, box));
      details.put("network", List.copyOf(effective.networkHosts()));
      details.put("credentials", placeholders);
      details.put("workspace", agentWorkspace ? "agent workspace (write paths granted: " + effective.writePaths() + ")" : "scratch");
      details.put("read_paths", bound);
      kernel.recordEvent("skill", "run", s.id(), details);
      // What a skill's script prints is that skill's content; from the network it is the network's.
      Label label = network ? Label.untrusted("skill-network:" + name) : skill.contentLabel(inventory.vetted(skill));
      return new ActionExecutor.Result(SandboxOutput.text(r), label, details);
    } finally {
      if (proxy != null) {
        proxy.close();
      }
      if (scratch != null) {
        deleteQuietly(scratch);
      }
    }
  }

  private static void deleteQuietly(Path root) {
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (java.io.IOException | RuntimeException e) {
      // a leftover scratch directory holds only what the skill wrote; the next start may remove it
    }
  }

  private Decision manifestCheck(String name, PermissionManifest effective, Action.Egress request, java.util.Set<String> credentials,
      SessionContext s) {
    String host = request.url().getHost() == null ? "" : request.url().getHost().toLowerCase(Locale.ROOT);
    String why = null;
    if (!effective.allowsHost(host)) {
      why = "skill " + name + " did not declare host " + host + " (its manifest with your grants allows only "
          + effective.networkHosts() + ")";
    } else {
      for (String c : credentials) {
        if (!effective.declaresCredential(c)) {
          why = "skill " + name + " did not declare credential " + c + " (declared and granted: "
              + effective.credentials().stream().map(CredentialPermission::name).toList() + ")";
          break;
        }
      }
    }
    if (why == null) {
      return null;
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("skill", name);
    f.put("host", host);
    f.put("method", request.method());
    f.put("credentials", List.copyOf(credentials));
    f.put("reason", why);
    kernel.recordEvent("skill", "egress_refused", s.id(), f);
    return new Decision.Deny("skill-manifest", why);
  }

  private WardenSecurityException refuse(Action.SkillRun a, SessionContext s, String message) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("skill", a.skill());
    f.put("script", a.script());
    f.put("reason", message);
    kernel.recordEvent("skill", "run_refused", s.id(), f);
    return new WardenSecurityException(message);
  }

  /** The interpreter named by the script's {@code #!} line (basename; {@code env X} gives X), else by its extension. */
  static String interpreterOf(Path script) throws java.io.IOException {
    String first = "";
    try (var in = Files.newInputStream(script)) {
      byte[] b = in.readNBytes(MAX_SHEBANG_BYTES);
      String text = new String(b, StandardCharsets.UTF_8);
      int nl = text.indexOf('\n');
      first = nl < 0 ? text : text.substring(0, nl);
    }
    if (first.startsWith("#!")) {
      String[] parts = first.substring(2).strip().split("\\s+");
      if (parts.length == 0 || parts[0].isEmpty()) {
        return null;
      }
      String prog = Path.of(parts[0]).getFileName().toString();
      if (prog.equals("env")) {
        for (int i = 1; i < parts.length; i++) {
          if (!parts[i].startsWith("-")) {
            return parts[i];
          }
        }
        return null;
      }
      return prog;
    }
    String n = script.getFileName().toString();
    if (n.endsWith(".sh")) {
      return "sh";
    }
    if (n.endsWith(".py")) {
      return "python3";
    }
    return null;
  }
}
