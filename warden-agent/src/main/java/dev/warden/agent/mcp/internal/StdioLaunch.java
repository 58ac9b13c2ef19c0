package dev.warden.agent.mcp.internal;

import dev.warden.agent.mcp.McpSandboxMode;
import dev.warden.agent.mcp.McpServerConfig;
import io.modelcontextprotocol.client.transport.ServerParameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line that starts a stdio MCP server: inside bubblewrap (a long-running sandboxed
 * process whose stdin/stdout are the MCP pipes), or on the host when the operator opted out.
 *
 * <h2>Design notes</h2>
 * <b>Why here and not warden-sandbox.</b> The SDK's stdio transport starts the process itself and
 * keeps its pipes; it needs a command line, not a run-to-completion sandbox call. This builds that
 * command line with the same layout as Warden's process sandbox.
 *
 * <p><b>Threats.</b> {@code --unshare-all} leaves only a loopback interface (no network: an MCP
 * server that needs the internet must be an HTTP server or wait for proxy wiring); {@code --uid
 * 65534} plus binding only {@code /usr}, the dynamic-linker cache and the declared read-only paths
 * keeps {@code /etc/shadow}, WARDEN_HOME, {@code ~/.ssh} and the vault out of reach (running as
 * root, a bound {@code /etc} would still be readable, so {@code /etc} is not bound);
 * {@code --new-session} blocks TIOCSTI; {@code --die-with-parent} kills the server with Warden; the
 * environment is empty except PATH, HOME, LANG and the server's own variables, so none of Warden's
 * secrets leak through it. Not yet applied: Landlock, seccomp and resource limits (compensated by
 * the namespaces and the uid; see docs/mcp.md).
 */
public final class StdioLaunch {
  /** The bubblewrap binary. */
  public static final String BWRAP = "/usr/bin/bwrap";

  /**
   * Variable naming the server instance; it also appears in the command line, so the process can be
   * found (to notice it died during start, or to kill it if it does not exit).
   */
  public static final String INSTANCE_ENV = "WARDEN_MCP_INSTANCE";

  private StdioLaunch() {}

  /** {@code env -i}: starts the host-mode server with exactly the environment Warden gives it. */
  public static final String ENV = "/usr/bin/env";

  /**
   * The SDK adds HOME, LOGNAME, PATH, SHELL, TERM and USER of the gateway's environment to every
   * server's; so the environment is set inside the command line instead ({@code bwrap --clearenv
   * --setenv…}, or {@code env -i K=V…} on the host), and what the SDK passes is discarded.
   */
  public static ServerParameters parameters(McpServerConfig.Stdio s, McpSandboxMode mode, String instanceId, String hostHome) {
    Map<String, String> env = environment(s, mode, hostHome);
    if (mode == McpSandboxMode.UNSAFE_HOST) {
      List<String> args = new ArrayList<>(List.of("-i"));
      env.forEach((k, v) -> args.add(k + "=" + v));
      args.add(INSTANCE_ENV + "=" + instanceId);
      args.add(s.command());
      args.addAll(s.args());
      return ServerParameters.builder(ENV).args(args).build();
    }
    if (!RUNNING_AS_ROOT) {
      return ServerParameters.builder(BWRAP).args(bwrapArgs(s, instanceId, env)).build();
    }
    // As root, a sandbox uid is mapped to host root and keeps owner access to every root-owned
    // file bound into it; so the whole sandbox is started as host uid 65534 (as warden-sandbox does).
    List<String> args = new ArrayList<>(List.of("--reuid=" + SANDBOX_UID, "--regid=" + SANDBOX_UID, "--clear-groups",
        "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", BWRAP));
    args.addAll(bwrapArgs(s, instanceId, env));
    return ServerParameters.builder(SETPRIV).args(args).build();
  }

  /** util-linux setpriv: drops to the sandbox uid before bubblewrap when Warden runs as root. */
  public static final String SETPRIV = "/usr/bin/setpriv";

  /** The unprivileged uid (and gid) the server runs as, inside and, when Warden is root, outside. */
  public static final int SANDBOX_UID = 65534;

  public static final boolean RUNNING_AS_ROOT = isRoot();

  private static boolean isRoot() {
    try {
      return (Integer) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid") == 0;
    } catch (java.io.IOException | RuntimeException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /**
   * Null if the sandbox user can reach {@code path} (every ancestor searchable by others, the path
   * readable by others), else why not.
   */
  public static String unreachableBySandboxUserOrNull(String path) {
    if (!RUNNING_AS_ROOT) {
      return null;
    }
    java.nio.file.Path p = java.nio.file.Path.of(path);
    try {
      for (java.nio.file.Path a = p.getParent(); a != null; a = a.getParent()) {
        if (!java.nio.file.Files.getPosixFilePermissions(a).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
          return "its directory " + a + " is not searchable by others (mode " + mode(a) + ")";
        }
      }
      if (!java.nio.file.Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
        return "it is not readable by others (mode " + mode(p) + ")";
      }
      return null;
    } catch (java.io.IOException e) {
      return "it cannot be inspected: " + e.getMessage();
    }
  }

  private static String mode(java.nio.file.Path p) throws java.io.IOException {
    return java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(p));
  }

  /** Exactly the variables the server sees. */
  public static Map<String, String> environment(McpServerConfig.Stdio s, McpSandboxMode mode, String hostHome) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LANG", "C.UTF-8");
    if (mode == McpSandboxMode.UNSAFE_HOST) {
      env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
      env.put("HOME", hostHome);
    } else {
      env.put("PATH", "/usr/bin:/bin");
      env.put("HOME", "/tmp");
    }
    env.putAll(s.env());
    return env;
  }

  /**
   * The direct child process started for {@code instanceId}, if it is running. Reads
   * {@code /proc/<pid>/cmdline} itself because {@link ProcessHandle.Info#arguments()} is empty for
   * command lines longer than a page (a JVM server's class path).
   */
  public static java.util.Optional<ProcessHandle> find(String instanceId) {
    String envForm = INSTANCE_ENV + "=" + instanceId;
    return ProcessHandle.current().children().filter(p -> {
      byte[] raw;
      try {
        raw = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(p.pid()), "cmdline"));
      } catch (java.io.IOException | RuntimeException e) {
        return false;
      }
      for (String a : new String(raw, java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
        if (a.equals(instanceId) || a.equals(envForm)) {
          return true;
        }
      }
      return false;
    }).findFirst();
  }

  /** bubblewrap arguments followed by {@code -- command args…}. */
  public static List<String> bwrapArgs(McpServerConfig.Stdio s, String instanceId, Map<String, String> env) {
    List<String> a = new ArrayList<>(List.of(
        "--unshare-all", "--die-with-parent", "--new-session",
        "--uid", Integer.toString(SANDBOX_UID), "--gid", Integer.toString(SANDBOX_UID),
        "--ro-bind", "/usr", "/usr",
        "--symlink", "usr/bin", "/bin",
        "--symlink", "usr/lib", "/lib",
        "--symlink", "usr/lib64", "/lib64",
        "--symlink", "usr/sbin", "/sbin",
        "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
        "--ro-bind-try", "/etc/alternatives", "/etc/alternatives",
        "--ro-bind-try", "/etc/localtime", "/etc/localtime",
        "--proc", "/proc",
        "--dev", "/dev",
        "--tmpfs", "/tmp"));
    for (String p : s.readOnlyPaths()) {
      a.addAll(List.of("--ro-bind", p, p));
    }
    a.add("--clearenv");
    env.forEach((k, v) -> a.addAll(List.of("--setenv", k, v)));
    a.addAll(List.of("--setenv", INSTANCE_ENV, instanceId, "--chdir", "/tmp", "--"));
    a.add(s.command());
    a.addAll(s.args());
    return a;
  }
}
