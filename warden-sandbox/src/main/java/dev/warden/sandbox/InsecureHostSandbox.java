package dev.warden.sandbox;

import dev.warden.kernel.WardenSecurityException;
import dev.warden.sandbox.internal.HostFacts;
import dev.warden.sandbox.internal.ProcessSupervisor;
import dev.warden.sandbox.internal.SandboxEnvironment;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * UNPROTECTED: runs commands directly on the host, as the gateway's own user. For the operator's
 * explicit {@code sandbox: host} in {@code warden.yaml} only, where bubblewrap cannot be had.
 *
 * <p>Warning: nothing confines the command. It can read and write everything the gateway can
 * (WARDEN_HOME, the vault files, the key file, SSH keys), reach any network address, and signal
 * or ptrace the gateway. The only protections left are the environment allowlist, the cwd, and
 * the limits (rlimits through {@code prlimit} when it is installed; wall time and output size by
 * the JVM). RLIMIT_NPROC does not bind a root user. The network is not confined, and proxy
 * variables are not set: an unconfined process would simply bypass them. Every use must be
 * audited and shown in the gateway's status; {@link #describe()} says so in its first word.
 */
public final class InsecureHostSandbox implements Sandbox {

  private final Path prlimitOrNull;

  private InsecureHostSandbox(Path prlimitOrNull) {
    this.prlimitOrNull = prlimitOrNull;
  }

  /** The host runner. Nothing to check: it promises nothing. */
  public static InsecureHostSandbox create() {
    return new InsecureHostSandbox(HostFacts.findExecutableOrNull("prlimit", "/usr/bin", "/bin"));
  }

  @Override
  public SandboxResult run(SandboxSpec spec) throws WardenSecurityException {
    Path ws = spec.workspace();
    Path cwd = ws.resolve(spec.workingDirectory());
    if (!Files.isDirectory(cwd)) {
      throw new WardenSecurityException("working directory " + cwd + " does not exist");
    }
    List<String> command = new ArrayList<>();
    Limits l = spec.limits();
    if (prlimitOrNull != null) {
      command.addAll(List.of(prlimitOrNull.toString(),
          "--cpu=" + l.cpuSeconds() + ":" + (l.cpuSeconds() + 1), "--as=" + l.memoryBytes(),
          "--nproc=" + l.maxProcesses(), "--fsize=" + l.maxFileSizeBytes(), "--core=0", "--"));
    }
    command.addAll(spec.argv());
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(cwd.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().clear();
    pb.environment().putAll(SandboxEnvironment.of(spec, ws.toString(),
        spec.caBundleOrNull() == null ? null : spec.caBundleOrNull().toString(), null));
    return ProcessSupervisor.run(pb::start, l, 1, "host process (UNSANDBOXED) in " + cwd);
  }

  @Override
  public String describe() {
    return "UNPROTECTED host execution (sandbox: host): no isolation of files, network or processes;"
        + " only environment allowlist and " + (prlimitOrNull != null ? "rlimits, " : "")
        + "wall-time and output limits";
  }
}
