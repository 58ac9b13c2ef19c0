package dev.warden.agent.exec;

import dev.warden.egress.CertificateAuthority;
import dev.warden.egress.DestinationGuard;
import dev.warden.egress.EgressAuthorizer;
import dev.warden.egress.EgressProxy;
import dev.warden.egress.EgressRecord;
import dev.warden.kernel.Action;
import dev.warden.kernel.Decision;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.SessionContext;
import dev.warden.kernel.WardenSecurityException;
import dev.warden.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A per-sandbox egress proxy on a Unix socket whose every request is decided by the kernel as the
 * sandbox's session (credential use first, then the request), and whose every exchange is recorded
 * as an {@code egress} event. Shared by {@link ExecExecutor} and the skill runner, which puts its
 * own check (the skill's manifest) in front through {@code preCheck}.
 */
public final class SandboxEgress {

  /** Directory (under WARDEN_HOME/run) where per-sandbox proxy sockets live. */
  public static final String SOCKET_DIR = "egress";

  private final Path runDir;
  private final CertificateAuthority ca;
  private final Vault vault;
  private final DestinationGuard guard;
  private final Kernel kernel;

  public SandboxEgress(Path runDir, CertificateAuthority ca, Vault vault, DestinationGuard guard, Kernel kernel) {
    this.runDir = runDir;
    this.ca = ca;
    this.vault = vault;
    this.guard = guard;
    this.kernel = kernel;
  }

  public CertificateAuthority ca() {
    return ca;
  }

  /** Starts a proxy that asks the kernel as {@code s}; close it when the sandbox has exited. */
  public EgressProxy start(SessionContext s) throws WardenSecurityException {
    return start(s, null);
  }

  /**
   * Starts a proxy whose authorizer runs {@code preCheckOrNull} first: a non-null decision from it
   * is final (a refusal the kernel never needs to see), null passes the request on to the kernel.
   */
  public EgressProxy start(SessionContext s, EgressAuthorizer preCheckOrNull) throws WardenSecurityException {
    Path socket = runDir.resolve(SOCKET_DIR).resolve(Long.toHexString(System.nanoTime()) + ".sock");
    try {
      Files.createDirectories(socket.getParent());
    } catch (java.io.IOException e) {
      throw new WardenSecurityException("cannot create the proxy socket directory " + socket.getParent() + ": " + e.getMessage(), e);
    }
    return EgressProxy.builder(ca, vault).guard(guard).unixSocket(socket).port(0)
        .authorizer((request, credentials) -> {
          if (preCheckOrNull != null) {
            Decision pre = preCheckOrNull.authorize(request, credentials);
            if (pre != null) {
              return pre;
            }
          }
          for (String cred : credentials) {
            Decision d = kernel.authorize(new Action.CredentialUse(cred, request.host(), null), s);
            if (!(d instanceof Decision.Allow)) {
              return d;
            }
          }
          return kernel.authorize(request, s);
        })
        .listener(rec -> record(rec, s))
        .start();
  }

  private void record(EgressRecord r, SessionContext s) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("method", r.method());
    f.put("host", r.host());
    f.put("port", r.port());
    f.put("path", r.path());
    f.put("bytes_up", r.bytesUp());
    f.put("bytes_down", r.bytesDown());
    f.put("status", r.status());
    f.put("verdict", r.verdict());
    f.put("rule", r.rule());
    f.put("credentials", List.copyOf(r.credentialNames()));
    if (r.blockedReasonOrNull() != null) {
      f.put("blocked", r.blockedReasonOrNull());
    }
    f.put("alert", r.alert());
    kernel.recordEvent("egress", r.alert() ? "alert" : "exchange", s.id(), f);
  }
}
