package dev.warden.policy.internal;

import dev.warden.kernel.Principal;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a Cedar decision depends on, as plain Java values: the principal, the action kind,
 * the resource id and the context record ({@code String}, {@code Boolean}, {@code Long} or an
 * immutable {@code Set<String>} per attribute). Two equal inputs always get the same decision,
 * which is what makes this record the memo key.
 */
public record CedarInput(Principal principal, String kind, String resource, Map<String, Object> context) {
  public CedarInput {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(resource, "resource");
    context = Map.copyOf(context);
  }
}
