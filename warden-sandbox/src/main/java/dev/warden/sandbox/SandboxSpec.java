package dev.warden.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What to run and with what. Every invariant is checked when the spec is built, so a sandbox
 * implementation never has to second-guess it.
 *
 * <p>Layout inside a {@link BubblewrapSandbox}: the workspace is bound read-write at {@value
 * #WORKSPACE_IN_SANDBOX} (never at its host path, so nothing of the host's directory layout or of
 * {@code WARDEN_HOME}'s location leaks), {@code HOME} is the workspace, the working directory is
 * {@code workingDirectory} under it, {@code /tmp} is private, and each {@link ReadOnlyBind} appears
 * at its {@code sandboxPath}.
 *
 * @param argv the command and its arguments; {@code argv[0]} is looked up on {@link
 *     #SANDBOX_PATH} when it has no slash
 * @param workspace host directory, absolute, writable by the sandbox
 * @param workingDirectory relative path under the workspace ({@code ""} for the workspace itself)
 * @param extraEnv variables added to the allowlisted environment, e.g. credential placeholders;
 *     may not redefine a variable the sandbox manages ({@link #MANAGED_ENV})
 * @param limits resource limits
 * @param network network access
 * @param caBundleOrNull PEM file of the CA(s) the sandbox should trust (the egress proxy's), bound
 *     read-only at {@value #CA_BUNDLE_IN_SANDBOX} and advertised through {@link #CA_ENV}; or null
 * @param readOnlyBinds extra host paths visible read-only (skill directories)
 */
public record SandboxSpec(
    List<String> argv,
    Path workspace,
    String workingDirectory,
    SortedMap<String, String> extraEnv,
    Limits limits,
    NetworkAccess network,
    Path caBundleOrNull,
    List<ReadOnlyBind> readOnlyBinds) {

  /** Where the workspace is mounted inside the sandbox; also {@code HOME}. */
  public static final String WORKSPACE_IN_SANDBOX = "/workspace";
  /** Where the CA bundle is mounted inside the sandbox. */
  public static final String CA_BUNDLE_IN_SANDBOX = "/etc/warden/ca-bundle.pem";
  /** {@code PATH} inside the sandbox. */
  public static final String SANDBOX_PATH = "/usr/local/bin:/usr/bin:/bin";
  /** Fixed values of the allowlisted variables besides PATH and HOME. */
  public static final Map<String, String> FIXED_ENV =
      Map.of("LANG", "C.UTF-8", "TERM", "dumb", "TZ", "UTC");
  /** Variables that point at the egress proxy when network is {@link NetworkAccess.Proxy}. */
  public static final List<String> PROXY_ENV =
      List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy");
  /** Variables that name the CA bundle, one per TLS stack in common use. */
  public static final List<String> CA_ENV =
      List.of("SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE");
  /** Every variable the sandbox sets itself; {@code extraEnv} may not redefine one. */
  public static final Set<String> MANAGED_ENV = managedEnv();

  /** Most extra variables a spec may carry. */
  public static final int MAX_EXTRA_ENV_VARS = 64;
  /** Most bytes of argv and extra environment together (well under the kernel's ARG_MAX). */
  public static final int MAX_ARGV_AND_ENV_BYTES = 512 * 1024;
  /** Most extra read-only binds. */
  public static final int MAX_READ_ONLY_BINDS = 32;

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  /** Sandbox paths a bind may neither cover nor sit under: they belong to the sandbox itself. */
  private static final List<String> RESERVED_SANDBOX_PATHS =
      List.of("/proc", "/dev", "/tmp", "/usr", "/etc", "/bin", "/sbin", "/lib", "/lib64",
          WORKSPACE_IN_SANDBOX, "/run/warden");

  public SandboxSpec {
    Objects.requireNonNull(argv, "argv");
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(extraEnv, "extraEnv");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(readOnlyBinds, "readOnlyBinds");
    argv = List.copyOf(argv);
    if (argv.isEmpty() || argv.getFirst().isEmpty()) {
      throw new IllegalArgumentException("argv must name a command, got " + argv);
    }
    long bytes = 0;
    for (String arg : argv) {
      requireNoNul(arg, "argv element");
      bytes += arg.length() + 1;
    }
    if (!workspace.isAbsolute()) {
      throw new IllegalArgumentException("workspace must be an absolute path, got '" + workspace + "'");
    }
    workspace = workspace.normalize();
    requireNoNul(workingDirectory, "workingDirectory");
    Path wd = Path.of(workingDirectory).normalize();
    if (wd.isAbsolute() || wd.startsWith("..")) {
      throw new IllegalArgumentException(
          "workingDirectory must be relative and stay inside the workspace, got '" + workingDirectory + "'");
    }
    workingDirectory = wd.toString();
    if (extraEnv.size() > MAX_EXTRA_ENV_VARS) {
      throw new IllegalArgumentException(
          "at most " + MAX_EXTRA_ENV_VARS + " extra environment variables, got " + extraEnv.size());
    }
    extraEnv = Collections.unmodifiableSortedMap(new TreeMap<>(extraEnv));
    for (var e : extraEnv.entrySet()) {
      if (!ENV_NAME.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException("not an environment variable name: '" + e.getKey() + "'");
      }
      if (MANAGED_ENV.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "environment variable " + e.getKey() + " is managed by the sandbox and cannot be set; managed: "
                + MANAGED_ENV);
      }
      requireNoNul(e.getValue(), "value of " + e.getKey());
      bytes += e.getKey().length() + e.getValue().length() + 2;
    }
    if (bytes > MAX_ARGV_AND_ENV_BYTES) {
      throw new IllegalArgumentException(
          "argv and environment are " + bytes + " bytes, more than " + MAX_ARGV_AND_ENV_BYTES
              + "; pass large inputs through a file in the workspace");
    }
    if (caBundleOrNull != null) {
      if (!caBundleOrNull.isAbsolute()) {
        throw new IllegalArgumentException("caBundle must be an absolute path, got '" + caBundleOrNull + "'");
      }
      caBundleOrNull = caBundleOrNull.normalize();
    }
    readOnlyBinds = List.copyOf(readOnlyBinds);
    if (readOnlyBinds.size() > MAX_READ_ONLY_BINDS) {
      throw new IllegalArgumentException(
          "at most " + MAX_READ_ONLY_BINDS + " read-only binds, got " + readOnlyBinds.size());
    }
    for (int i = 0; i < readOnlyBinds.size(); i++) {
      for (int j = i + 1; j < readOnlyBinds.size(); j++) {
        if (overlaps(readOnlyBinds.get(i).sandboxPath(), readOnlyBinds.get(j).sandboxPath())) {
          throw new IllegalArgumentException(
              "read-only binds overlap: " + readOnlyBinds.get(i).sandboxPath() + " and "
                  + readOnlyBinds.get(j).sandboxPath());
        }
      }
    }
  }

  /** A host path shown read-only inside the sandbox. */
  public record ReadOnlyBind(Path hostPath, String sandboxPath) {
    public ReadOnlyBind {
      Objects.requireNonNull(hostPath, "hostPath");
      Objects.requireNonNull(sandboxPath, "sandboxPath");
      if (!hostPath.isAbsolute()) {
        throw new IllegalArgumentException("hostPath must be absolute, got '" + hostPath + "'");
      }
      hostPath = hostPath.normalize();
      requireNoNul(sandboxPath, "sandboxPath");
      Path p = Path.of(sandboxPath);
      if (!p.isAbsolute()) {
        throw new IllegalArgumentException("sandboxPath must be absolute, got '" + sandboxPath + "'");
      }
      sandboxPath = p.normalize().toString();
      if (sandboxPath.equals("/")) {
        throw new IllegalArgumentException("sandboxPath cannot be '/'");
      }
      for (String reserved : RESERVED_SANDBOX_PATHS) {
        if (overlaps(sandboxPath, reserved)) {
          throw new IllegalArgumentException(
              "sandboxPath '" + sandboxPath + "' overlaps '" + reserved
                  + "', which the sandbox manages; bind skills under e.g. /skills/NAME");
        }
      }
    }
  }

  public static Builder builder(Path workspace, List<String> argv) {
    return new Builder(workspace, argv);
  }

  public static Builder builder(Path workspace, String... argv) {
    return new Builder(workspace, List.of(argv));
  }

  public Builder toBuilder() {
    Builder b = new Builder(workspace, argv);
    b.workingDirectory = workingDirectory;
    b.extraEnv.putAll(extraEnv);
    b.limits = limits;
    b.network = network;
    b.caBundle = caBundleOrNull;
    b.readOnlyBinds.addAll(readOnlyBinds);
    return b;
  }

  /** Builds a spec; defaults: no network, {@link Limits#DEFAULT}, the workspace as cwd. */
  public static final class Builder {
    private final Path workspace;
    private final List<String> argv;
    private String workingDirectory = "";
    private final SortedMap<String, String> extraEnv = new TreeMap<>();
    private Limits limits = Limits.DEFAULT;
    private NetworkAccess network = NetworkAccess.NONE;
    private Path caBundle;
    private final List<ReadOnlyBind> readOnlyBinds = new ArrayList<>();

    private Builder(Path workspace, List<String> argv) {
      this.workspace = workspace;
      this.argv = List.copyOf(argv);
    }

    public Builder workingDirectory(String relative) {
      this.workingDirectory = relative;
      return this;
    }

    public Builder env(String name, String value) {
      this.extraEnv.put(name, value);
      return this;
    }

    public Builder limits(Limits limits) {
      this.limits = limits;
      return this;
    }

    public Builder network(NetworkAccess network) {
      this.network = network;
      return this;
    }

    public Builder caBundle(Path caBundle) {
      this.caBundle = caBundle;
      return this;
    }

    public Builder readOnlyBind(Path hostPath, String sandboxPath) {
      this.readOnlyBinds.add(new ReadOnlyBind(hostPath, sandboxPath));
      return this;
    }

    public SandboxSpec build() {
      return new SandboxSpec(
          argv, workspace, workingDirectory, extraEnv, limits, network, caBundle, readOnlyBinds);
    }
  }

  private static boolean overlaps(String a, String b) {
    Path pa = Path.of(a);
    Path pb = Path.of(b);
    return pa.startsWith(pb) || pb.startsWith(pa);
  }

  private static void requireNoNul(String s, String what) {
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " contains a NUL character");
    }
  }

  private static Set<String> managedEnv() {
    var names = new java.util.TreeSet<String>();
    names.add("PATH");
    names.add("HOME");
    names.addAll(FIXED_ENV.keySet());
    names.addAll(PROXY_ENV);
    names.add("NO_PROXY");
    names.add("no_proxy");
    names.addAll(CA_ENV);
    return Collections.unmodifiableSet(names);
  }
}
