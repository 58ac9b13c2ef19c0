package dev.warden.sandbox;

import dev.warden.kernel.WardenSecurityException;
import dev.warden.sandbox.internal.HostFacts;
import dev.warden.sandbox.internal.Landlock;
import dev.warden.sandbox.internal.LandlockExecHelper;
import dev.warden.sandbox.internal.LandlockSpawner;
import dev.warden.sandbox.internal.ProcessSupervisor;
import dev.warden.sandbox.internal.SandboxEnvironment;
import dev.warden.sandbox.internal.SeccompFilter;
import dev.warden.sandbox.internal.Spawner;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.DirectoryStream;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The process sandbox: bubblewrap namespaces, a seccomp filter, rlimits, a Landlock network wall
 * and a supervising JVM that enforces wall time and output size.
 *
 * <p>Security guarantees. A command run here:
 *
 * <ul>
 *   <li>sees read-only {@code /usr} (and the {@code /bin}, {@code /lib*} links to it), a handful of
 *       read-only files under {@code /etc} ({@link #ETC_ALLOWLIST}, plus synthetic {@code passwd},
 *       {@code group}, {@code hosts}, {@code nsswitch.conf}), its workspace read-write at {@value
 *       SandboxSpec#WORKSPACE_IN_SANDBOX}, a private size-capped {@code /tmp}, its own {@code /proc}
 *       and a minimal {@code /dev}; nothing of {@code /home}, {@code /root}, {@code WARDEN_HOME} or
 *       the rest of the host; the root directory itself is read-only;
 *   <li>runs in new user, pid, ipc, uts, net and cgroup namespaces as uid/gid 65534 with no
 *       capabilities, in a new session (no terminal injection), dies with the gateway, cannot
 *       create further user namespaces;
 *   <li>when Warden runs as root, is started as host uid 65534 as well (through {@code setpriv}),
 *       because a sandbox uid mapped to host root keeps owner access to every root-owned file
 *       bound into it (so {@code /etc/shadow} would be readable if bound) and is exempt from
 *       RLIMIT_NPROC;
 *   <li>cannot call ptrace, mount, unshare/setns, bpf, keyrings, perf, kexec, module loading,
 *       process_vm_*, file handles, userfaultfd or io_uring (seccomp, {@link SeccompFilter});
 *   <li>cannot bind or connect TCP sockets (except to the proxy forwarder's port) even outside
 *       its network namespace, nor signal or reach abstract Unix sockets outside its sandbox
 *       (Landlock ABI 4+/6+; applied in the sandbox by {@link LandlockExecHelper} on x86_64, by
 *       {@link LandlockSpawner} threads elsewhere);
 *   <li>can write only in its workspace, /tmp, /dev/shm and existing device files, and execute
 *       only from /usr, the read-only binds, the workspace and /tmp, even within what the mount
 *       namespace shows (Landlock filesystem ruleset, on x86_64 with Landlock; see {@link
 *       LandlockExecHelper});
 *   <li>gets only the allowlisted environment; the launcher's own environment is empty too,
 *       because the sandbox can read {@code /proc/1/environ} of bubblewrap's init process, whose
 *       environment is the launcher's (so nothing of the gateway's environment gets in);
 *   <li>receives its bubblewrap arguments through a file descriptor ({@code --args}), so the host
 *       paths of its binds do not show in {@code /proc/1/cmdline}.
 * </ul>
 *
 * <p>Design notes.
 *
 * <ol>
 *   <li>Launch chain: {@code /bin/sh} opens the seccomp program on fd 3 and the argument file on
 *       fd 4, then execs ({@code setpriv} then) {@code bwrap --args 4}. The chain is exec-only,
 *       so the JVM's child is bwrap itself and killing it ends the sandbox.
 *   <li>Failure: a sandbox that cannot be built throws {@link WardenSecurityException}; the
 *       command has then not run. There is no fallback to the host: that is {@link
 *       InsecureHostSandbox}, chosen explicitly by the operator.
 *   <li>Landlock for the filesystem cannot be in force before bubblewrap: a domain that handles
 *       any file right forbids mount(2) (verified: bwrap fails with "Failed to make / slave:
 *       Operation not permitted"). So it is applied inside the sandbox, after bubblewrap's setup,
 *       by {@link LandlockExecHelper}, a tiny static x86_64 program generated per run with the
 *       ruleset baked in ({@link #landlockRules}), which then executes the command. On other
 *       architectures the filesystem wall is the mount namespace, read-only binds, the
 *       unprivileged uid, and seccomp refusing mount and file-handle calls. See docs/sandbox.md.
 * </ol>
 */
public final class BubblewrapSandbox implements Sandbox {

  /** uid and gid of the sandboxed command, inside and (when Warden is root) outside. */
  public static final int SANDBOX_UID = 65534;
  public static final int SANDBOX_GID = 65534;

  /** What to tell an operator whose machine lacks bubblewrap. */
  public static final String INSTALL_HINT = "apt-get install -y bubblewrap";

  /** Size cap of the private /tmp (tmpfs lives in memory, outside RLIMIT_AS). */
  public static final long TMP_SIZE_BYTES = 256L << 20;
  /** Wall time of the probe run by {@link #create()}. */
  static final long PROBE_WALL_TIME_SECONDS = 15;

  /**
   * Host files under /etc that tools need, bound read-only when they exist: the dynamic loader's
   * cache, the CA store, the alternatives links (awk, editors), protocol and service names. Each
   * bind costs about half a millisecond per command, so the list is kept to what runs need (TZ is
   * UTC, so no localtime; ld.so reads only its cache).
   */
  public static final List<String> ETC_ALLOWLIST =
      List.of("/etc/ld.so.cache", "/etc/ssl", "/etc/alternatives", "/etc/protocols", "/etc/services");

  /** Top-level host paths that are links into /usr on merged-/usr systems, or directories. */
  private static final List<String> ROOT_LIBS = List.of("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32");

  private static final String[] TOOL_DIRS = {"/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"};

  /** The launcher script: fds 3 and 4, then exec the rest. */
  private static final String LAUNCH_SCRIPT =
      "unset PWD OLDPWD; exec 3<\"$1\" 4<\"$2\" || exit 126; shift 2; exec \"$@\"";

  /** Started inside the sandbox before the command when it has the proxy: the forwarder. */
  private static final String PROXY_SCRIPT =
      "socat TCP-LISTEN:" + NetworkAccess.PROXY_PORT + ",bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:"
          + NetworkAccess.PROXY_SOCKET_IN_SANDBOX + " 2>/dev/null &\n"
          + "i=0\n"
          + "while ! grep -q ':" + String.format("%04X", NetworkAccess.PROXY_PORT)
          + " 00000000:0000 0A' /proc/net/tcp; do\n"
          + "  i=$((i+1)); if [ $i -gt 500 ]; then echo 'warden: the egress proxy forwarder did not start' >&2; exit 125; fi\n"
          + "  sleep 0.01\n"
          + "done\n"
          + "exec \"$@\"";

  /**
   * The launcher's environment: empty. bubblewrap's init process (pid 1 in the sandbox) keeps the
   * environment it was started with, and the command can read it in /proc/1/environ; --clearenv
   * only clears the command's own. Every path in the launch chain is absolute.
   */
  private static final Map<String, String> DEFAULT_LAUNCHER_ENV = Map.of();

  private final Path bwrap;
  private final Path setprivOrNull;
  private final Path socatOrNull;
  private final Path privateDir;
  private final Path seccompFile;
  private final String version;
  private final Spawner spawner;
  private final Map<String, String> launcherEnv;
  /** Landlock ABI when the in-sandbox filesystem helper is used, else 0. */
  private final int fsLandlockAbi;
  /** Sandboxes running per workspace (real path): ownership is handed over only when none is. */
  private final java.util.concurrent.ConcurrentHashMap<Path, int[]> activeByWorkspace =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Where the Landlock filesystem helper appears inside the sandbox. */
  static final String LANDLOCK_HELPER_IN_SANDBOX = "/run/warden/landlock-exec";

  private BubblewrapSandbox(Path bwrap, Path setprivOrNull, Path socatOrNull, Path privateDir,
      Path seccompFile, String version, Spawner spawner, Map<String, String> launcherEnv,
      int fsLandlockAbi) {
    this.bwrap = bwrap;
    this.setprivOrNull = setprivOrNull;
    this.socatOrNull = socatOrNull;
    this.privateDir = privateDir;
    this.seccompFile = seccompFile;
    this.version = version;
    this.spawner = spawner;
    this.launcherEnv = launcherEnv;
    this.fsLandlockAbi = fsLandlockAbi;
  }

  /**
   * Finds bubblewrap, prepares the seccomp program and the synthetic /etc files, sets up Landlock
   * where the kernel has it, and runs a probe sandbox.
   *
   * @throws WardenSecurityException if bubblewrap (or util-linux) is missing or the probe sandbox
   *     cannot be built; the message says how to fix it
   */
  public static BubblewrapSandbox create() throws WardenSecurityException {
    return create(DEFAULT_LAUNCHER_ENV, TOOL_DIRS);
  }

  /** As {@link #create()}, with the launcher's environment given (tests prove it stays out). */
  static BubblewrapSandbox create(Map<String, String> launcherEnv) throws WardenSecurityException {
    return create(launcherEnv, TOOL_DIRS);
  }

  /** As {@link #create()}, looking for bwrap only in {@code toolDirs} (tests: a host without it). */
  static BubblewrapSandbox create(Map<String, String> launcherEnv, String[] toolDirs)
      throws WardenSecurityException {
    Path bwrap = HostFacts.findExecutableOrNull("bwrap", toolDirs);
    if (bwrap == null) {
      throw new WardenSecurityException(
          "bubblewrap (bwrap) is not installed, so commands cannot be sandboxed and Warden refuses"
              + " to run them. Install it: " + INSTALL_HINT + " (Debian/Ubuntu), or set"
              + " 'sandbox: host' in warden.yaml to run commands unprotected on the host.");
    }
    if (HostFacts.findExecutableOrNull("prlimit", "/usr/bin", "/bin") == null) {
      throw new WardenSecurityException(
          "prlimit is not installed in /usr/bin, so sandbox resource limits cannot be set."
              + " Install it: apt-get install -y util-linux");
    }
    Path setpriv = null;
    if (HostFacts.effectiveUid() == 0) {
      setpriv = HostFacts.findExecutableOrNull("setpriv", TOOL_DIRS);
      if (setpriv == null) {
        throw new WardenSecurityException(
            "Warden runs as root, and setpriv (util-linux) is needed to start sandboxes as the"
                + " unprivileged uid " + SANDBOX_UID + ". Install it: apt-get install -y util-linux,"
                + " or run Warden as a non-root user.");
      }
    }
    Path socat = HostFacts.findExecutableOrNull("socat", "/usr/bin", "/bin");
    Path dir;
    Path seccomp;
    try {
      dir = Files.createTempDirectory("warden-sandbox-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
      // 0711: bwrap, running as the sandbox uid, must reach the synthetic /etc files; the
      // argument files stay 0600 and are opened by the launcher before it drops to that uid.
      seccomp = dir.resolve("seccomp.bpf");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
      writePrivateFiles(dir);
      try (Stream<Path> files = Files.list(dir)) {
        files.forEach(p -> p.toFile().deleteOnExit());
      }
      dir.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new WardenSecurityException(
          "could not prepare the sandbox's private files under " + System.getProperty("java.io.tmpdir")
              + ": " + e.getMessage() + ". Check that the temp directory is writable.", e);
    }
    String version = bwrapVersion(bwrap);
    int abi = Landlock.abiVersion();
    boolean helper = LandlockExecHelper.supported(abi);
    // With the in-sandbox helper the whole Landlock ruleset (network included) is applied inside;
    // only without it do spawner threads restrict themselves for the network wall.
    Spawner spawner = helper ? null : LandlockSpawner.createOrNull();
    BubblewrapSandbox sandbox = new BubblewrapSandbox(bwrap, setpriv, socat, dir, seccomp, version,
        spawner == null ? Spawner.DIRECT : spawner, Map.copyOf(launcherEnv), helper ? abi : 0);
    sandbox.probe();
    return sandbox;
  }

  /** The seccomp program and the synthetic /etc files, in the private directory. */
  private static void writePrivateFiles(Path dir) throws IOException {
    Files.write(dir.resolve("seccomp.bpf"), SeccompFilter.program());
    Files.writeString(dir.resolve("passwd"),
        "root:x:0:0:root:/nonexistent:/usr/sbin/nologin\n"
            + "nobody:x:" + SANDBOX_UID + ":" + SANDBOX_GID + ":sandbox:"
            + SandboxSpec.WORKSPACE_IN_SANDBOX + ":/bin/sh\n");
    Files.writeString(dir.resolve("group"), "root:x:0:\nnogroup:x:" + SANDBOX_GID + ":\n");
    Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost\n");
    Files.writeString(dir.resolve("nsswitch.conf"),
        "passwd: files\ngroup: files\nhosts: files\nservices: files\nprotocols: files\n");
    for (String f : List.of("passwd", "group", "hosts", "nsswitch.conf")) {
      Files.setPosixFilePermissions(dir.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  /**
   * Rewrites the private files if a temp cleaner removed them while the gateway ran for days:
   * otherwise the launcher would fail and look like the command's own failure.
   */
  private synchronized void ensurePrivateFiles() throws WardenSecurityException {
    if (Files.isRegularFile(seccompFile) && Files.isRegularFile(privateDir.resolve("nsswitch.conf"))) {
      return;
    }
    try {
      Files.createDirectories(privateDir);
      Files.setPosixFilePermissions(privateDir, PosixFilePermissions.fromString("rwx--x--x"));
      writePrivateFiles(privateDir);
    } catch (IOException e) {
      throw new WardenSecurityException("the sandbox's private files under " + privateDir
          + " were removed and cannot be rewritten: " + e.getMessage(), e);
    }
  }

  private void probe() throws WardenSecurityException {
    Path ws = null;
    try {
      ws = Files.createTempDirectory("warden-probe-");
      Files.setPosixFilePermissions(ws, PosixFilePermissions.fromString("rwxr-xr-x"));
      SandboxResult r = run(SandboxSpec.builder(ws, "/bin/sh", "-c", "echo warden-probe-ok")
          .limits(Limits.DEFAULT.withWallTime(Duration.ofSeconds(PROBE_WALL_TIME_SECONDS)))
          .build());
      if (!r.succeeded() || !r.stdout().contains("warden-probe-ok")) {
        throw new WardenSecurityException(
            "bubblewrap is installed (" + bwrap + ", " + version + ") but a probe sandbox could not"
                + " be built: " + r.summary() + "; stderr: " + r.stderr().strip()
                + ". Check that unprivileged user namespaces are enabled"
                + " (sysctl user.max_user_namespaces > 0, kernel.unprivileged_userns_clone=1) and that"
                + " this is not already inside a bubblewrap sandbox (nested bwrap fails); install or"
                + " update with: " + INSTALL_HINT);
      }
    } catch (IOException e) {
      throw new WardenSecurityException("could not create the probe workspace: " + e.getMessage(), e);
    } finally {
      if (ws != null) {
        deleteTree(ws);
      }
    }
  }

  @Override
  public SandboxResult run(SandboxSpec spec) throws WardenSecurityException {
    Path workspace = checkWorkspace(spec);
    ensurePrivateFiles();
    enter(workspace);
    try {
      return runIn(workspace, spec);
    } finally {
      leave(workspace);
    }
  }

  /**
   * Counts this run in, handing the workspace to the sandbox uid first when no other sandbox is
   * running in it: a running sandbox could swap files and links under a walk that runs as root.
   */
  private void enter(Path workspace) throws WardenSecurityException {
    int[] active = activeByWorkspace.computeIfAbsent(workspace, k -> new int[1]);
    synchronized (active) {
      if (active[0] == 0 && setprivOrNull != null) {
        giveToSandboxUser(workspace);
      }
      active[0]++;
    }
  }

  private void leave(Path workspace) {
    int[] active = activeByWorkspace.get(workspace);
    synchronized (active) {
      active[0]--;
    }
  }

  private SandboxResult runIn(Path workspace, SandboxSpec spec) throws WardenSecurityException {
    String runId = UUID.randomUUID().toString();
    Path argsFile = privateDir.resolve("args-" + runId);
    Path helper = fsLandlockAbi > 0 ? privateDir.resolve("landlock-" + runId) : null;
    List<String> args = bwrapArgs(spec, helper);
    try {
      if (helper != null) {
        List<Integer> tcpPorts = spec.network() instanceof NetworkAccess.Proxy
            ? List.of(NetworkAccess.PROXY_PORT)
            : List.of();
        Files.write(helper, LandlockExecHelper.elf(fsLandlockAbi, landlockRules(spec), tcpPorts, rlimits(spec.limits())));
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("r-xr-xr-x"));
      }
      StringBuilder sb = new StringBuilder();
      for (String a : args) {
        sb.append(a).append('\0');
      }
      Files.writeString(argsFile, sb, StandardCharsets.UTF_8);
    } catch (IOException e) {
      deleteQuietly(helper);
      throw new WardenSecurityException("could not write the sandbox argument file " + argsFile
          + ": " + e.getMessage(), e);
    }
    try {
      List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", LAUNCH_SCRIPT, "warden-launch",
          seccompFile.toString(), argsFile.toString()));
      if (setprivOrNull != null) {
        command.addAll(List.of(setprivOrNull.toString(), "--reuid=" + SANDBOX_UID,
            "--regid=" + SANDBOX_GID, "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
            "--no-new-privs"));
      }
      command.addAll(List.of(bwrap.toString(), "--args", "4", "--"));
      if (helper != null) {
        // the helper sets the rlimits itself: one exec fewer than prlimit
        command.add(LANDLOCK_HELPER_IN_SANDBOX);
        command.addAll(innerCommand(spec, false));
      } else {
        command.addAll(innerCommand(spec, true));
      }
      ProcessBuilder pb = new ProcessBuilder(command)
          .directory(privateDir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().clear();
      pb.environment().putAll(launcherEnv);
      SandboxResult r = ProcessSupervisor.run(() -> spawner.start(pb, spec.network()), spec.limits(), 0,
          "bubblewrap (" + bwrap + ") for workspace " + workspace);
      // bwrap reports a failed setup (a bind or chdir it could not do) as status 1 with a
      // "bwrap: " message, before the command exists; that is a sandbox that could not be built.
      // (A command that itself exits 1 printing "bwrap: " first is misread as one: harmless.)
      if (r.termination() == Termination.EXITED && r.exitCode() == 1 && r.stderr().startsWith("bwrap: ")) {
        throw new WardenSecurityException("the sandbox could not be set up for workspace " + workspace
            + ": " + r.stderr().lines().findFirst().orElse("").strip());
      }
      if (helper != null && r.exitCode() == LandlockExecHelper.FAILURE_EXIT_CODE
          && r.stderr().startsWith(LandlockExecHelper.FAILURE_MESSAGE)) {
        throw new WardenSecurityException("the sandbox's Landlock filesystem ruleset (ABI "
            + fsLandlockAbi + ") could not be applied, so the command was not run");
      }
      return r;
    } finally {
      deleteQuietly(argsFile);
      deleteQuietly(helper);
    }
  }

  private static void deleteQuietly(Path pathOrNull) {
    if (pathOrNull == null) {
      return;
    }
    try {
      Files.deleteIfExists(pathOrNull);
    } catch (IOException ignored) {
      // a leftover file in our private directory holds no secret
    }
  }

  /** The rlimits, as prlimit would set them: CPU soft N hard N+1 (SIGXCPU first), the rest hard. */
  static List<LandlockExecHelper.Rlimit> rlimits(Limits l) {
    return List.of(
        new LandlockExecHelper.Rlimit(LandlockExecHelper.RLIMIT_CPU, l.cpuSeconds(), l.cpuSeconds() + 1),
        new LandlockExecHelper.Rlimit(LandlockExecHelper.RLIMIT_AS, l.memoryBytes(), l.memoryBytes()),
        new LandlockExecHelper.Rlimit(LandlockExecHelper.RLIMIT_NPROC, l.maxProcesses(), l.maxProcesses()),
        new LandlockExecHelper.Rlimit(LandlockExecHelper.RLIMIT_FSIZE, l.maxFileSizeBytes(), l.maxFileSizeBytes()),
        new LandlockExecHelper.Rlimit(LandlockExecHelper.RLIMIT_CORE, 0, 0));
  }

  /**
   * The filesystem ruleset applied inside the sandbox: listing everywhere the mount namespace
   * shows; reading in /usr, /etc, /proc, /dev and the binds; executing from /usr, the read-only
   * binds, the workspace and /tmp (agents build and run programs there); writing only in the
   * workspace, /tmp, /dev/shm and to existing device files.
   */
  static List<LandlockExecHelper.Rule> landlockRules(SandboxSpec spec) {
    long all = -1L;
    List<LandlockExecHelper.Rule> rules = new ArrayList<>();
    rules.add(new LandlockExecHelper.Rule("/", LandlockExecHelper.FS_READ_DIR));
    rules.add(new LandlockExecHelper.Rule("/usr", LandlockExecHelper.READ_EXECUTE));
    rules.add(new LandlockExecHelper.Rule("/etc", LandlockExecHelper.READ));
    rules.add(new LandlockExecHelper.Rule("/proc", LandlockExecHelper.READ));
    rules.add(new LandlockExecHelper.Rule("/dev", LandlockExecHelper.READ
        | LandlockExecHelper.FS_WRITE_FILE | LandlockExecHelper.FS_IOCTL_DEV));
    rules.add(new LandlockExecHelper.Rule("/dev/shm", all));
    rules.add(new LandlockExecHelper.Rule("/tmp", all));
    rules.add(new LandlockExecHelper.Rule(SandboxSpec.WORKSPACE_IN_SANDBOX, all));
    for (SandboxSpec.ReadOnlyBind b : spec.readOnlyBinds()) {
      long rights = Files.isDirectory(b.hostPath())
          ? LandlockExecHelper.READ_EXECUTE
          : LandlockExecHelper.READ_EXECUTE & LandlockExecHelper.FILE_RIGHTS;
      rules.add(new LandlockExecHelper.Rule(b.sandboxPath(), rights));
    }
    if (spec.caBundleOrNull() != null) {
      rules.add(new LandlockExecHelper.Rule(SandboxSpec.CA_BUNDLE_IN_SANDBOX, LandlockExecHelper.FS_READ_FILE));
    }
    return rules;
  }

  private Path checkWorkspace(SandboxSpec spec) throws WardenSecurityException {
    Path ws;
    try {
      ws = spec.workspace().toRealPath();
    } catch (IOException e) {
      throw new WardenSecurityException("sandbox workspace " + spec.workspace()
          + " does not exist; create it before running a command in it", e);
    }
    if (!Files.isDirectory(ws)) {
      throw new WardenSecurityException("sandbox workspace " + ws + " is not a directory");
    }
    if (!Files.isDirectory(ws.resolve(spec.workingDirectory()), LinkOption.NOFOLLOW_LINKS)) {
      throw new WardenSecurityException("working directory '" + spec.workingDirectory()
          + "' does not exist as a directory in workspace " + ws);
    }
    if (setprivOrNull != null) {
      requireReachableBySandboxUser(ws, "workspace");
    }
    if (spec.network() instanceof NetworkAccess.Proxy(Path socket)) {
      if (socatOrNull == null) {
        throw new WardenSecurityException("this command may use the network through the egress"
            + " proxy, which needs socat inside the sandbox; install it: apt-get install -y socat");
      }
      if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(socket)
          || Files.isRegularFile(socket)) {
        throw new WardenSecurityException("egress proxy socket " + socket
            + " does not exist or is not a socket; is the egress proxy running?");
      }
      if (setprivOrNull != null && !connectableBySandbox(socket)) {
        throw new WardenSecurityException("egress proxy socket " + socket + " is not writable by the"
            + " sandbox uid " + SANDBOX_UID + ", so sandboxed commands could not connect; make it"
            + " mode 0666 or owned by " + SANDBOX_UID);
      }
    }
    if (spec.caBundleOrNull() != null) {
      if (!Files.isRegularFile(spec.caBundleOrNull())) {
        throw new WardenSecurityException("CA bundle " + spec.caBundleOrNull() + " is not a file");
      }
      if (setprivOrNull != null) {
        requireReachableBySandboxUser(spec.caBundleOrNull(), "CA bundle");
      }
    }
    for (SandboxSpec.ReadOnlyBind b : spec.readOnlyBinds()) {
      if (!Files.exists(b.hostPath())) {
        throw new WardenSecurityException("read-only bind source " + b.hostPath() + " (for "
            + b.sandboxPath() + ") does not exist");
      }
      if (setprivOrNull != null) {
        requireReachableBySandboxUser(b.hostPath(), "read-only bind source");
      }
    }
    if (setprivOrNull != null && spec.network() instanceof NetworkAccess.Proxy(Path socket)) {
      requireReachableBySandboxUser(socket, "egress proxy socket");
    }
    return ws;
  }

  /**
   * bubblewrap resolves each bind source as the sandbox uid (it canonicalises the path, so not even
   * an inherited file descriptor gets around this): every directory above the source must let
   * uid 65534 through. Checked here so the failure names the directory and the fix.
   */
  private static void requireReachableBySandboxUser(Path path, String what) throws WardenSecurityException {
    Path real;
    try {
      real = path.toRealPath();
    } catch (IOException e) {
      throw new WardenSecurityException(what + " " + path + " cannot be resolved: " + e.getMessage(), e);
    }
    for (Path dir = real.getParent(); dir != null; dir = dir.getParent()) {
      try {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
        boolean ok = perms.contains(PosixFilePermission.OTHERS_EXECUTE)
            || (HostFacts.ownerUid(dir) == SANDBOX_UID && perms.contains(PosixFilePermission.OWNER_EXECUTE));
        if (!ok) {
          throw new WardenSecurityException("the sandbox's " + what + " " + real + " lies under " + dir
              + ", which the sandbox uid " + SANDBOX_UID + " cannot traverse (mode "
              + PosixFilePermissions.toString(perms) + "). Warden runs as root and starts sandboxes"
              + " as uid " + SANDBOX_UID + ", and bubblewrap opens bind sources as that uid. Fix: keep"
              + " WARDEN_HOME under a traversable directory (e.g. /var/lib/warden), or chmod o+x " + dir
              + " (traversal only, it does not make the directory listable).");
        }
      } catch (IOException e) {
        throw new WardenSecurityException("cannot read the permissions of " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  private static boolean connectableBySandbox(Path socket) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(socket);
      return perms.contains(PosixFilePermission.OTHERS_WRITE)
          || (HostFacts.ownerUid(socket) == SANDBOX_UID && perms.contains(PosixFilePermission.OWNER_WRITE));
    } catch (IOException e) {
      return false;
    }
  }

  /** Deepest directory nesting handed to the sandbox uid; deeper entries keep their owner. */
  static final int MAX_WORKSPACE_DEPTH = 64;

  /**
   * Makes the workspace owned by the sandbox uid (Warden runs as root here, the sandbox as 65534),
   * so that files the gateway wrote stay editable by the command.
   *
   * <p>Threats: a sandbox running in the same workspace could swap directories for symlinks (or
   * files for FIFOs) under a walk that runs as root, and a path-based walk would then chown host
   * files through the link. Two layers: the walk runs only when no sandbox of this instance is
   * running in the workspace ({@link #enter}), and it goes through {@link SecureDirectoryStream}s
   * (every step relative to an open directory, opened with O_NOFOLLOW), skipping links, FIFOs and
   * devices. Hard links need no check: the sandbox cannot link a file from outside its workspace
   * mount into it (link(2) across mounts fails with EXDEV).
   */
  private static void giveToSandboxUser(Path ws) throws WardenSecurityException {
    try {
      var lookup = ws.getFileSystem().getUserPrincipalLookupService();
      UserPrincipal uid = lookup.lookupPrincipalByName(String.valueOf(SANDBOX_UID));
      GroupPrincipal gid = lookup.lookupPrincipalByGroupName(String.valueOf(SANDBOX_GID));
      if (HostFacts.ownerUid(ws) != SANDBOX_UID) {
        PosixFileAttributeView top = Files.getFileAttributeView(ws, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        top.setOwner(uid);
        top.setGroup(gid);
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(ws)) {
        if (!(ds instanceof SecureDirectoryStream<Path> sds)) {
          throw new WardenSecurityException("this platform has no race-free directory walk"
              + " (SecureDirectoryStream), so Warden will not change ownership in workspace " + ws
              + " as root; run Warden as a non-root user");
        }
        chownTree(sds, uid, gid, 0);
      }
    } catch (IOException | UncheckedIOException e) {
      throw new WardenSecurityException("could not hand workspace " + ws + " to the sandbox uid "
          + SANDBOX_UID + ": " + e.getMessage(), e);
    }
  }

  private static void chownTree(SecureDirectoryStream<Path> dir, UserPrincipal uid, GroupPrincipal gid, int depth)
      throws IOException {
    for (Path entry : dir) {
      Path name = entry.getFileName();
      PosixFileAttributeView view = dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      PosixFileAttributes attrs;
      try {
        attrs = view.readAttributes();
      } catch (java.nio.file.FileSystemException e) {
        // a symbolic link (opened with O_NOFOLLOW: ELOOP) or gone: its owner does not matter,
        // the sandbox owns the directory it sits in
        continue;
      }
      if (attrs.isSymbolicLink() || attrs.isOther()) {
        // a link's owner does not matter (the sandbox owns the directory it sits in); FIFOs and
        // devices are skipped because changing their owner here means opening them
        continue;
      }
      if (!attrs.owner().equals(uid)) {
        view.setOwner(uid);
        view.setGroup(gid);
      }
      if (attrs.isDirectory() && depth < MAX_WORKSPACE_DEPTH) {
        try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
          chownTree(sub, uid, gid, depth + 1);
        } catch (java.nio.file.FileSystemException e) {
          // swapped for a link or a file since it was read: not ours to follow
        }
      }
    }
  }

  /** The bubblewrap arguments, read by bwrap from fd 4. */
  List<String> bwrapArgs(SandboxSpec spec, Path landlockHelperOrNull) {
    List<String> a = new ArrayList<>();
    a.addAll(List.of("--unshare-all", "--unshare-user", "--disable-userns",
        "--uid", String.valueOf(SANDBOX_UID), "--gid", String.valueOf(SANDBOX_GID),
        "--hostname", "warden-sandbox", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
        "--clearenv"));
    String home = SandboxSpec.WORKSPACE_IN_SANDBOX;
    var env = SandboxEnvironment.of(spec, home,
        spec.caBundleOrNull() == null ? null : SandboxSpec.CA_BUNDLE_IN_SANDBOX,
        "http://127.0.0.1:" + NetworkAccess.PROXY_PORT);
    env.forEach((k, v) -> a.addAll(List.of("--setenv", k, v)));

    a.addAll(List.of("--ro-bind", "/usr", "/usr"));
    for (String p : ROOT_LIBS) {
      Path host = Path.of(p);
      if (Files.isSymbolicLink(host)) {
        try {
          a.addAll(List.of("--symlink", Files.readSymbolicLink(host).toString(), p));
        } catch (IOException e) {
          // unreadable link: leave it out, the command then lacks that path
        }
      } else if (Files.isDirectory(host)) {
        a.addAll(List.of("--ro-bind", p, p));
      }
    }
    for (String p : ETC_ALLOWLIST) {
      a.addAll(List.of("--ro-bind-try", p, p));
    }
    for (String f : List.of("passwd", "group", "hosts", "nsswitch.conf")) {
      a.addAll(List.of("--ro-bind", privateDir.resolve(f).toString(), "/etc/" + f));
    }
    a.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
    a.addAll(List.of("--size", String.valueOf(TMP_SIZE_BYTES), "--perms", "1777", "--tmpfs", "/tmp"));
    a.addAll(List.of("--bind", spec.workspace().toString(), SandboxSpec.WORKSPACE_IN_SANDBOX));
    for (SandboxSpec.ReadOnlyBind b : spec.readOnlyBinds()) {
      a.addAll(List.of("--ro-bind", b.hostPath().toString(), b.sandboxPath()));
    }
    if (spec.network() instanceof NetworkAccess.Proxy(Path socket)) {
      a.addAll(List.of("--ro-bind", socket.toString(), NetworkAccess.PROXY_SOCKET_IN_SANDBOX));
    }
    if (spec.caBundleOrNull() != null) {
      a.addAll(List.of("--ro-bind", spec.caBundleOrNull().toString(), SandboxSpec.CA_BUNDLE_IN_SANDBOX));
    }
    if (landlockHelperOrNull != null) {
      a.addAll(List.of("--ro-bind", landlockHelperOrNull.toString(), LANDLOCK_HELPER_IN_SANDBOX));
    }
    a.addAll(List.of("--remount-ro", "/"));
    String cwd = spec.workingDirectory().isEmpty()
        ? SandboxSpec.WORKSPACE_IN_SANDBOX
        : SandboxSpec.WORKSPACE_IN_SANDBOX + "/" + spec.workingDirectory();
    a.addAll(List.of("--chdir", cwd));
    a.addAll(List.of("--seccomp", "3"));
    return a;
  }

  /** The command bwrap runs, on its real argv: bwrap does not take it from the --args file. */
  static List<String> innerCommand(SandboxSpec spec, boolean withPrlimit) {
    List<String> a = new ArrayList<>();
    boolean proxy = spec.network() instanceof NetworkAccess.Proxy;
    Limits l = spec.limits();
    if (withPrlimit) {
      a.addAll(List.of("/usr/bin/prlimit",
          "--cpu=" + l.cpuSeconds() + ":" + (l.cpuSeconds() + 1),
          "--as=" + l.memoryBytes(),
          "--nproc=" + l.maxProcesses(),
          "--fsize=" + l.maxFileSizeBytes(),
          "--core=0",
          "--"));
    }
    if (proxy) {
      a.addAll(List.of("/bin/sh", "-c", PROXY_SCRIPT, "warden-net"));
      a.addAll(spec.argv());
    } else if (withPrlimit) {
      a.addAll(spec.argv()); // prlimit searches PATH itself
    } else {
      a.addAll(resolveOnSandboxPath(spec.argv()));
    }
    return a;
  }

  /**
   * The Landlock helper executes without a PATH search, so a bare command name is resolved here,
   * on the directories of {@link SandboxSpec#SANDBOX_PATH}, which the sandbox shows unchanged from
   * the host's /usr. A name found nowhere goes through {@code /usr/bin/env}, which searches and
   * reports "No such file or directory" with status 127 like a shell.
   */
  static List<String> resolveOnSandboxPath(List<String> argv) {
    String cmd = argv.getFirst();
    if (cmd.contains("/")) {
      return argv;
    }
    List<String> out = new ArrayList<>();
    for (String dir : SandboxSpec.SANDBOX_PATH.split(":")) {
      Path candidate = Path.of(dir, cmd);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        out.add(candidate.toString());
        out.addAll(argv.subList(1, argv.size()));
        return out;
      }
    }
    out.add("/usr/bin/env");
    out.add("--");
    out.addAll(argv);
    return out;
  }

  @Override
  public String describe() {
    String landlock = fsLandlockAbi > 0
        ? "landlock ABI " + fsLandlockAbi + " applied in the sandbox: landlock filesystem ruleset (in-sandbox helper)"
            + (fsLandlockAbi >= Landlock.MIN_ABI_NET ? ", tcp bind/connect only on the proxy port" : "")
            + (fsLandlockAbi >= Landlock.MIN_ABI_SCOPE ? ", signal and abstract-socket scoping" : "")
        : (spawner.describe().isEmpty() ? "no landlock network wall" : spawner.describe())
            + ", no landlock filesystem ruleset";
    return "bubblewrap " + version + " (user/pid/net/ipc/uts/cgroup namespaces, uid " + SANDBOX_UID
        + (setprivOrNull != null ? " on the host too" : "") + ", seccomp deny-list, "
        + landlock
        + ", rlimits cpu/as/nproc/fsize,"
        + " wall-time and output limits)";
  }

  private static String bwrapVersion(Path bwrap) {
    try {
      Process p = new ProcessBuilder(bwrap.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor();
      return out.startsWith("bubblewrap ") ? out.substring("bubblewrap ".length()) : out;
    } catch (IOException e) {
      return "unknown version";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown version";
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a probe directory left in our private temp dir is harmless
    }
  }
}
