package dev.warden.agent.exec;

import dev.warden.egress.CertificateAuthority;
import dev.warden.egress.DestinationGuard;
import dev.warden.egress.EgressProxy;
import dev.warden.kernel.Action;
import dev.warden.kernel.ActionExecutor;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.Label;
import dev.warden.kernel.SessionContext;
import dev.warden.kernel.WardenSecurityException;
import dev.warden.sandbox.Limits;
import dev.warden.sandbox.NetworkAccess;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxResult;
import dev.warden.sandbox.SandboxSpec;
import dev.warden.vault.SecretMetadata;
import dev.warden.vault.Vault;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code exec} tool (and {@code warden exec}): runs a command in the process sandbox.
 *
 * <h2>Design notes</h2>
 * <b>Fail closed.</b> The sandbox is built by a supplier that throws when bubblewrap is missing or
 * broken; every exec then fails with that message (how to install it). Only the operator's
 * {@code sandbox: host} opt-out runs commands unconfined, and each such run is an audit event.
 *
 * <p><b>Network.</b> A command that asked for network gets its own egress proxy on a Unix socket
 * bound into the sandbox; the proxy asks the kernel about every request <em>as this session</em>
 * (same labels, same policy), injects vault credentials only toward their bound hosts, scans for
 * leaks, and each exchange is recorded. Without network the sandbox has a loopback interface only.
 *
 * <p><b>Credentials.</b> The sandbox's environment holds placeholders ({@code WARDEN_CRED_<NAME>=
 * wdn-cred:name}) for the vault's active secrets, never values.
 */
public final class ExecExecutor {

  /** Directory (under WARDEN_HOME/run) where per-exec proxy sockets live. */
  public static final String SOCKET_DIR = SandboxEgress.SOCKET_DIR;

  private final Supplier<Sandbox> sandbox;
  private final boolean insecureHost;
  private final Workspace workspace;
  private final Path runDir;
  private final Vault vault;
  private final CertificateAuthority ca;
  private final DestinationGuard guard;
  private final Kernel kernel;
  private final Limits limits;

  public ExecExecutor(Supplier<Sandbox> sandbox, boolean insecureHost, Workspace workspace, Path runDir, Vault vault,
      CertificateAuthority ca, DestinationGuard guard, Kernel kernel, Limits limits) {
    this.sandbox = sandbox;
    this.insecureHost = insecureHost;
    this.workspace = workspace;
    this.runDir = runDir;
    this.vault = vault;
    this.ca = ca;
    this.guard = guard;
    this.kernel = kernel;
    this.limits = limits;
  }

  public void registerWith(Kernel k) {
    k.register(Action.Exec.class, this::execute);
  }

  ActionExecutor.Result execute(Action.Exec a, SessionContext s) throws Exception {
    Sandbox box = sandbox.get();
    if (insecureHost) {
      kernel.recordEvent("sandbox", "host_exec", s.id(), Map.of("argv", a.argv(),
          "warning", "sandbox: host in warden.yaml: this command ran unconfined on the host"));
    }
    SandboxSpec.Builder spec = SandboxSpec.builder(workspace.root(), a.argv()).limits(limits);
    if (!a.workingDirectory().equals(".")) {
      spec.workingDirectory(a.workingDirectory());
    }
    for (SecretMetadata m : vault.list()) {
      if (!m.suspended()) {
        spec.env("WARDEN_CRED_" + m.name().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), Vault.placeholder(m.name()));
      }
    }
    EgressProxy proxy = null;
    try {
      if (a.network()) {
        proxy = startProxy(s);
        spec.network(NetworkAccess.proxy(proxy.unixSocketPath().orElseThrow())).caBundle(ca.bundlePath());
      }
      SandboxResult r = box.run(spec.build());
      StringBuilder out = new StringBuilder();
      out.append(r.summary()).append('\n');
      if (!r.stdout().isEmpty()) {
        out.append(r.stdout());
        if (!r.stdout().endsWith("\n")) {
          out.append('\n');
        }
      }
      if (!r.stderr().isEmpty()) {
        out.append("[stderr]\n").append(r.stderr());
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("exit_code", r.exitCode());
      details.put("termination", r.termination().name().toLowerCase(Locale.ROOT));
      details.put("wall_ms", r.wallDuration().toMillis());
      details.put("sandbox", box.describe());
      // Output of a command that reached the network carries what the network said: untrusted.
      Label label = a.network() ? Label.untrusted("exec-network:" + a.argv().getFirst()) : Label.trusted("workspace");
      return new ActionExecutor.Result(out.toString(), label, details);
    } finally {
      if (proxy != null) {
        proxy.close();
      }
    }
  }

  private EgressProxy startProxy(SessionContext s) throws WardenSecurityException {
    return new SandboxEgress(runDir, ca, vault, guard, kernel).start(s);
  }
}
