package dev.warden.agent.exec;

import dev.warden.egress.EgressProxy;
import dev.warden.kernel.Action;
import dev.warden.kernel.ActionExecutor;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.Label;
import dev.warden.kernel.SessionContext;
import dev.warden.sandbox.Limits;
import dev.warden.sandbox.NetworkAccess;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxResult;
import dev.warden.sandbox.SandboxSpec;
import dev.warden.vault.SecretMetadata;
import dev.warden.vault.Vault;
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

  private final Supplier<Sandbox> sandbox;
  private final boolean insecureHost;
  private final Workspace workspace;
  private final SandboxEgress egress;
  private final Vault vault;
  private final Kernel kernel;
  private final Limits limits;

  public ExecExecutor(Supplier<Sandbox> sandbox, boolean insecureHost, Workspace workspace, SandboxEgress egress, Vault vault,
      Kernel kernel, Limits limits) {
    this.sandbox = sandbox;
    this.insecureHost = insecureHost;
    this.workspace = workspace;
    this.egress = egress;
    this.vault = vault;
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
        proxy = egress.start(s);
        spec.network(NetworkAccess.proxy(proxy.unixSocketPath().orElseThrow())).caBundle(egress.ca().bundlePath());
      }
      SandboxResult r = box.run(spec.build());
      // Output of a command that reached the network carries what the network said: untrusted.
      Label label = a.network() ? Label.untrusted("exec-network:" + a.argv().getFirst()) : Label.trusted("workspace");
      return new ActionExecutor.Result(SandboxOutput.text(r), label, SandboxOutput.details(r, box));
    } finally {
      if (proxy != null) {
        proxy.close();
      }
    }
  }
}
