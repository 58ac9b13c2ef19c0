package dev.warden.agent.skills;

import dev.warden.kernel.Action;
import dev.warden.kernel.ActionExecutor;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.Label;
import dev.warden.kernel.SessionContext;
import dev.warden.kernel.WardenSecurityException;
import dev.warden.registry.client.Download;
import dev.warden.registry.client.RegistryClient;
import dev.warden.registry.pkg.InstallPolicy;
import dev.warden.registry.pkg.InstallRefusedException;
import dev.warden.registry.pkg.PackageManifest;
import dev.warden.registry.pkg.PackageVerifier;
import dev.warden.registry.pkg.ScanVerdict;
import dev.warden.registry.pkg.SkillInstaller;
import dev.warden.registry.pkg.SkillPackage;
import dev.warden.registry.pkg.SkillSource;
import dev.warden.registry.pkg.TrustStatus;
import dev.warden.registry.pkg.VerifiedPackage;
import dev.warden.registry.scan.Finding;
import dev.warden.registry.scan.ScanReport;
import dev.warden.registry.scan.SkillScanner;
import dev.warden.registry.skill.PermissionDiff;
import dev.warden.registry.skill.PermissionManifest;
import dev.warden.registry.skill.Skill;
import dev.warden.registry.skill.SkillFormatException;
import dev.warden.registry.skill.SkillLoader;
import dev.warden.registry.skill.SkillTier;
import dev.warden.registry.tlog.LogMonitor;
import dev.warden.registry.trust.TrustEvent;
import dev.warden.registry.trust.TrustStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Executes {@link Action.SkillInstall} (install, update, remove) after the kernel allowed it.
 *
 * <h2>Design notes</h2>
 * <b>Steps.</b> Resolve the source (the configured registry, a registry URL the operator allowed,
 * or a local package the operator allowed); download and verify (signature, publisher trust from
 * {@code WARDEN_HOME/trust.json}, transparency-log inclusion and consistency against the state kept
 * under {@code WARDEN_HOME/registry-logs/}); stage into quarantine; scan the staged copy; compare
 * the permission manifest with the installed one; release only when the verdict is within
 * {@code skills.max_verdict} and the permissions did not grow without approval. Every step is a
 * {@code category=skill} event.
 *
 * <p><b>Operator-only switches.</b> A local package path, a registry not in warden.yaml, and
 * approval of grown permissions can only be given through {@link #operatorAllowLocal},
 * {@link #operatorAllowRegistry} and {@link #operatorApprovePermissions}: Java calls the CLI makes
 * in-process before it submits the action. The model's {@code install_skill} tool can name any
 * source, but nothing it writes reaches these sets. Each allowance is used once.
 *
 * <p><b>Failure.</b> Every refusal throws with what failed and how to fix it; the kernel records
 * it as the action's failed outcome. A refused skill is never where the loader looks.
 */
public final class SkillInstallExecutor {
  /** The publisher trust store, under WARDEN_HOME. */
  public static final String TRUST_FILE = "trust.json";
  /** Per-registry transparency-log state, under WARDEN_HOME. */
  public static final String LOG_STATE_DIR = "registry-logs";
  /** Managed skills, under WARDEN_HOME. */
  public static final String SKILLS_DIR = "skills";
  /** The lockfile, under WARDEN_HOME. */
  public static final String LOCK_FILE = "skills.lock";

  private final Path home;
  private final SkillSettings settings;
  private final Kernel kernel;
  private final InstantSource clock;
  private final Set<Path> localAllowed = ConcurrentHashMap.newKeySet();
  private final Set<String> registriesAllowed = ConcurrentHashMap.newKeySet();
  private final Set<String> permissionsApproved = ConcurrentHashMap.newKeySet();

  public SkillInstallExecutor(Path wardenHome, SkillSettings settings, Kernel kernel, InstantSource clock) {
    this.home = wardenHome.toAbsolutePath().normalize();
    this.settings = settings;
    this.kernel = kernel;
    this.clock = clock;
  }

  public void registerWith(Kernel k) {
    k.register(Action.SkillInstall.class, this::execute);
  }

  public Path skillsDir() {
    return home.resolve(SKILLS_DIR);
  }

  public Path lockFile() {
    return home.resolve(LOCK_FILE);
  }

  public SkillSettings settings() {
    return settings;
  }

  /** The trust store; its warnings (a key pinned on first use, a changed key) become skill events. */
  public TrustStore trustStore(String sessionOrNull) throws IOException {
    return TrustStore.open(home.resolve(TRUST_FILE), settings.trustMode(), clock, e -> onTrustEvent(e, sessionOrNull));
  }

  /** The installer over WARDEN_HOME/skills with the configured policy (local paths refused). */
  public SkillInstaller installer() {
    return installer(List.of(), false);
  }

  private SkillInstaller installer(List<URI> extraRegistries, boolean local) {
    List<URI> allowed = new java.util.ArrayList<>(settings.registries());
    allowed.addAll(extraRegistries);
    InstallPolicy p = new InstallPolicy(allowed, local, false, settings.maxVerdict(), false);
    return new SkillInstaller(skillsDir(), lockFile(), p);
  }

  /** Operator only (CLI {@code --allow-local}): the next install may read the package at {@code pkg}. */
  public void operatorAllowLocal(Path pkg) {
    localAllowed.add(pkg.toAbsolutePath().normalize());
  }

  /** Operator only (CLI {@code --registry}): the next install may use this registry. */
  public void operatorAllowRegistry(URI registry) {
    registriesAllowed.add(InstallPolicy.normalize(registry));
  }

  /** Operator only (CLI {@code --approve-permissions}): the next update of {@code name} may grow its permissions. */
  public void operatorApprovePermissions(String name) {
    permissionsApproved.add(name);
  }

  ActionExecutor.Result execute(Action.SkillInstall a, SessionContext s) throws Exception {
    PackageManifest.requireName(a.name());
    if (a.operation().equals("remove")) {
      return remove(a, s);
    }
    Map<String, Object> start = fields(a.name(), a.versionOrNull(), a.source());
    start.put("operation", a.operation());
    kernel.recordEvent("skill", "install", s.id(), start);
    boolean installed = Files.isDirectory(skillsDir().resolve(a.name()));
    if (a.operation().equals("update") && !installed) {
      throw refused(a, s, null, "skill " + a.name() + " is not installed, so there is nothing to update; use `warden skills install "
          + a.name() + "`");
    }
    VerifiedPackage pkg;
    SkillSource source;
    boolean yanked = false;
    SkillInstaller installer;
    Map<String, Object> provenance = new LinkedHashMap<>();
    TrustStore trust = trustStore(s.id());
    String src = a.source().strip();
    if (isLocal(src)) {
      Path p = Path.of(src.startsWith("local:") ? src.substring("local:".length()) : src).toAbsolutePath().normalize();
      if (!localAllowed.remove(p)) {
        throw refused(a, s, null, "installing from a local path (" + p + ") needs the operator's explicit flag: run `warden skills install "
            + a.name() + " --allow-local " + p + "`; the agent cannot install local files");
      }
      installer = installer(List.of(), true);
      try {
        pkg = PackageVerifier.verify(SkillPackage.readFrom(p), trust);
      } catch (WardenSecurityException e) {
        throw refused(a, s, null, "package " + p + " failed verification: " + e.getMessage());
      }
      if (!pkg.name().equals(a.name())) {
        throw refused(a, s, null, "package " + p + " is skill " + pkg.name() + ", not " + a.name());
      }
      source = new SkillSource.LocalPath(p);
    } else {
      URI registry = registryOf(a, s, src);
      installer = installer(List.of(registry), false);
      LogMonitor monitor = LogMonitor.open(LogMonitor.stateFileFor(home.resolve(LOG_STATE_DIR), registry),
          InstallPolicy.normalize(registry), null);
      Download d;
      try {
        d = new RegistryClient(registry, trust, monitor).download(a.name(), a.versionOrNull(), true);
      } catch (WardenSecurityException e) {
        throw refused(a, s, null, "download of " + a.name() + (a.versionOrNull() == null ? "" : "@" + a.versionOrNull()) + " from "
            + registry + " failed verification: " + e.getMessage());
      } catch (IOException e) {
        throw refused(a, s, null, "cannot reach registry " + registry + ": " + e.getMessage()
            + "; check that it is running and that `registry:` in warden.yaml is right");
      }
      pkg = d.pkg();
      source = d.source();
      yanked = d.yanked();
      provenance.put("log_index", d.logIndex());
      provenance.put("tree_size", d.treeHead().treeSize());
    }
    provenance.put("trust", pkg.trust().name().toLowerCase(Locale.ROOT));
    if (pkg.keyOrNull() != null) {
      provenance.put("publisher", pkg.keyOrNull().publisher());
      provenance.put("key_id", pkg.keyOrNull().keyId());
    }
    PermissionManifest before = null;
    if (installed) {
      try {
        before = SkillLoader.load(skillsDir().resolve(a.name()), SkillTier.MANAGED).manifest();
      } catch (SkillFormatException e) {
        before = PermissionManifest.NONE;
      }
    }
    SkillInstaller.StagedSkill staged;
    try {
      staged = installer.stage(pkg, source, yanked);
    } catch (InstallRefusedException e) {
      throw refused(a, s, pkg, "install policy refused " + pkg.name() + "@" + pkg.version() + " (" + e.rule() + "): " + e.getMessage());
    }
    Map<String, Object> q = fields(pkg.name(), pkg.version(), source.describe());
    q.putAll(provenance);
    q.put("state", "staged");
    kernel.recordEvent("skill", "quarantined", s.id(), q);

    Set<String> others = new HashSet<>(installer.lock().skills().keySet());
    others.remove(pkg.name());
    ScanReport report = new SkillScanner(others, 1).scan(staged.contentDir());
    ScanVerdict verdict = ScanVerdict.valueOf(report.verdict().name());
    Skill skill;
    try {
      skill = SkillLoader.load(staged.contentDir(), SkillTier.MANAGED);
    } catch (SkillFormatException e) {
      throw kept(a, s, pkg, source, verdict, provenance, "the package's SKILL.md does not load: " + e.getMessage());
    }
    if (before != null) {
      PermissionDiff diff = before.diff(skill.manifest());
      if (diff.grows() && !permissionsApproved.remove(pkg.name())) {
        throw kept(a, s, pkg, source, verdict, provenance, "the update of " + pkg.name() + " to " + pkg.version()
            + " grows its permissions: " + String.join("; ", diff.describe())
            + ". Review them, then run `warden skills update " + pkg.name() + " --approve-permissions`");
      }
    }
    SkillInstaller.InstallResult r;
    try {
      r = installer.release(pkg.name(), verdict);
    } catch (InstallRefusedException e) {
      throw kept(a, s, pkg, source, verdict, provenance, "scan verdict " + verdict + " is above the release threshold "
          + settings.maxVerdict() + " (" + e.getMessage() + "); findings: " + findings(report));
    }
    Map<String, Object> rel = fields(r.name(), r.version(), source.describe());
    rel.putAll(provenance);
    rel.put("verdict", verdict.name().toLowerCase(Locale.ROOT));
    rel.put("operation", a.operation());
    kernel.recordEvent("skill", "released", s.id(), rel);
    StringBuilder out = new StringBuilder();
    out.append(before == null ? "installed " : "updated ").append(r.name()).append('@').append(r.version()).append(" from ")
        .append(source.describe()).append('\n');
    out.append("publisher: ").append(pkg.manifest().publisher()).append(pkg.keyOrNull() == null ? "" : " key " + pkg.keyOrNull().keyId())
        .append(" (").append(pkg.trust().name().toLowerCase(Locale.ROOT)).append(")\n");
    if (pkg.trust() == TrustStatus.PINNED_ON_FIRST_USE) {
      out.append("WARNING: this publisher's key was pinned on first use, not trusted by you; check its fingerprint and run "
          + "`warden trust add` to trust it explicitly\n");
    }
    out.append("scan: ").append(verdict.name().toLowerCase(Locale.ROOT)).append('\n');
    out.append("permissions: ").append(describe(skill.manifest())).append('\n');
    if (provenance.containsKey("log_index")) {
      out.append("transparency log: entry ").append(provenance.get("log_index")).append(" of ").append(provenance.get("tree_size"))
          .append(", inclusion and consistency verified\n");
    }
    return new ActionExecutor.Result(out.toString(), Label.trusted("skill-installer"), rel);
  }

  private ActionExecutor.Result remove(Action.SkillInstall a, SessionContext s) throws Exception {
    boolean removed = installer().remove(a.name());
    Map<String, Object> f = fields(a.name(), null, a.source());
    f.put("removed", removed);
    kernel.recordEvent("skill", "removed", s.id(), f);
    if (!removed) {
      throw new WardenSecurityException("skill " + a.name() + " is neither installed nor quarantined in " + skillsDir()
          + "; `warden skills list` shows what is");
    }
    return new ActionExecutor.Result("removed " + a.name() + " and its skills.lock entry", Label.trusted("skill-installer"), f);
  }

  private URI registryOf(Action.SkillInstall a, SessionContext s, String src) throws WardenSecurityException {
    if (src.isEmpty() || src.equals("registry")) {
      if (settings.registryOrNull() == null) {
        throw refused(a, s, null, "no registry is configured: set `registry: URL` in warden.yaml or pass --registry URL");
      }
      return settings.registryOrNull();
    }
    String u = src.startsWith("registry:") ? src.substring("registry:".length()) : src;
    URI uri;
    try {
      uri = URI.create(u);
    } catch (IllegalArgumentException e) {
      throw refused(a, s, null, "source '" + src + "' is neither a registry URL nor `registry`");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw refused(a, s, null, "source '" + src + "' is neither an http(s) registry URL nor `registry`");
    }
    String n = InstallPolicy.normalize(uri);
    boolean configured = settings.registries().stream().anyMatch(r -> InstallPolicy.normalize(r).equals(n));
    if (!configured && !registriesAllowed.remove(n)) {
      throw refused(a, s, null, "registry " + n + " is not an allowed source (configured: " + settings.registries()
          + "); add it to `skills.allowed_registries` in warden.yaml, or run `warden skills install " + a.name() + " --registry " + n + "`");
    }
    return uri;
  }

  private static boolean isLocal(String src) {
    return src.startsWith("local:") || src.startsWith("/") || src.startsWith("./") || src.startsWith("../");
  }

  private WardenSecurityException refused(Action.SkillInstall a, SessionContext s, VerifiedPackage pkgOrNull, String message) {
    Map<String, Object> f = fields(a.name(), pkgOrNull == null ? a.versionOrNull() : pkgOrNull.version(), a.source());
    f.put("reason", message);
    if (pkgOrNull != null && pkgOrNull.keyOrNull() != null) {
      f.put("key_id", pkgOrNull.keyOrNull().keyId());
    }
    kernel.recordEvent("skill", "refused", s.id(), f);
    return new WardenSecurityException(message);
  }

  private WardenSecurityException kept(Action.SkillInstall a, SessionContext s, VerifiedPackage pkg, SkillSource source,
      ScanVerdict verdict, Map<String, Object> provenance, String why) {
    Map<String, Object> f = fields(pkg.name(), pkg.version(), source.describe());
    f.putAll(provenance);
    f.put("state", "kept");
    f.put("verdict", verdict.name().toLowerCase(Locale.ROOT));
    f.put("reason", why);
    kernel.recordEvent("skill", "quarantined", s.id(), f);
    return new WardenSecurityException(pkg.name() + "@" + pkg.version() + " stays quarantined in "
        + skillsDir().resolve(SkillInstaller.QUARANTINE_DIR).resolve(pkg.name()) + ": " + why);
  }

  private static Map<String, Object> fields(String name, String versionOrNull, String source) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("skill", name);
    if (versionOrNull != null) {
      f.put("version", versionOrNull);
    }
    f.put("source", source);
    return f;
  }

  private void onTrustEvent(TrustEvent e, String sessionOrNull) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("publisher", e.publisher());
    f.put("key_id", e.keyId());
    f.put("message", e.message());
    f.put("warning", e.isWarning());
    kernel.recordEvent("skill", "trust_" + e.kind().name().toLowerCase(Locale.ROOT), sessionOrNull, f);
    if (e.kind() == TrustEvent.Kind.PINNED_ON_FIRST_USE || e.kind() == TrustEvent.Kind.KEY_CHANGE_REFUSED) {
      System.err.println("warden: " + e.message());
    }
  }

  static String findings(ScanReport r) {
    List<String> out = new java.util.ArrayList<>();
    for (Finding f : r.significant()) {
      out.add(f.toString());
      if (out.size() == 5) {
        break;
      }
    }
    return out.isEmpty() ? "(none above info)" : String.join("; ", out);
  }

  /** One line: what a manifest declares. */
  public static String describe(PermissionManifest m) {
    if (m.equals(PermissionManifest.NONE)) {
      return "none (no manifest: text only, no scripts, no network, no credentials)";
    }
    List<String> parts = new java.util.ArrayList<>();
    if (!m.networkHosts().isEmpty()) {
      parts.add("network " + m.networkHosts());
    }
    if (!m.credentials().isEmpty()) {
      parts.add("credentials " + new TreeSet<>(m.credentials().stream().map(Object::toString).toList()));
    }
    if (!m.executables().isEmpty()) {
      parts.add("executables " + m.executables());
    }
    if (!m.readPaths().isEmpty() || !m.writePaths().isEmpty()) {
      parts.add("files read " + m.readPaths() + " write " + m.writePaths());
    }
    if (!m.tools().isEmpty()) {
      parts.add("tools " + m.tools());
    }
    return String.join(", ", parts);
  }
}
