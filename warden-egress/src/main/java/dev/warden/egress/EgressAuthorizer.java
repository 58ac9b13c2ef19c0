package dev.warden.egress;

import dev.warden.kernel.Action;
import dev.warden.kernel.Decision;
import java.util.Set;

/**
 * The kernel's say on one outbound request. The gateway wires this to {@code Kernel.submit}; the
 * proxy calls it once per request after its own checks (destination guard, credential bindings,
 * leak scan) have passed and before anything is sent.
 *
 * <p>The action carries the request as the client sent it — placeholders, never injected values.
 * {@code credentialNamesUsed} names the vault secrets the proxy will inject if the decision is
 * {@link Decision.Allow}. {@link Decision.Deny} and {@link Decision.Ask} block the request with a
 * 403 whose body shows the decision's reason and rule (for Ask, the reason should carry the approval
 * id so the caller can retry once the owner has answered). An exception blocks the request too.
 */
@FunctionalInterface
public interface EgressAuthorizer {
  Decision authorize(Action.Egress request, Set<String> credentialNamesUsed);

  /** Denies everything. */
  EgressAuthorizer DENY_ALL = (r, c) -> new Decision.Deny("egress-deny-all", "all egress is denied");

  /**
   * Allows everything the proxy's own checks let through. For tests and benchmarks only: in
   * production every request must reach the kernel.
   */
  static EgressAuthorizer unsafeAllowAll() {
    return (r, c) -> new Decision.Allow("unsafe-allow-all", "test authorizer allows everything");
  }
}
