package dev.warden.kernel;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a {@link Policy} may look at: the normalised action, who it is for, the label of the
 * context that produced it, the capabilities in force, and facts the kernel established while
 * normalising (see {@link Facts}). Policies must decide from this alone: no I/O, no clock.
 */
public record PolicyRequest(
    Action action, Principal principal, Label context, Set<String> capabilities, Map<String, Object> facts) {

  public PolicyRequest {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(context, "context");
    capabilities = Set.copyOf(capabilities);
    facts = Map.copyOf(facts);
  }

  public boolean fact(String name) {
    return Boolean.TRUE.equals(facts.get(name));
  }

  public String factString(String name, String fallback) {
    Object v = facts.get(name);
    return v == null ? fallback : v.toString();
  }
}
