package dev.warden.kernel;

/**
 * Decides one normalised action. Implementations must be deterministic, side-effect free and
 * cheap (microseconds): they run on every action, before it is recorded.
 */
@FunctionalInterface
public interface Policy {
  Decision decide(PolicyRequest request);

  /** Quarantine: everything is denied, with one reason. */
  Policy DENY_ALL = r -> new Decision.Deny("quarantine", "denied: Warden is quarantined; run `warden release` to restore normal operation");
}
