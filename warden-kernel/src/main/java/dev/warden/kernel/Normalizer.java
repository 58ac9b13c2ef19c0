package dev.warden.kernel;

import java.util.Map;

/**
 * Step 1 of {@link Kernel#submit}: put an action in canonical form (canonical path, parsed URL,
 * resolved and pinned address) and establish the {@link Facts} policy decides on. Throwing
 * {@link WardenSecurityException} denies the action with the exception's message as the reason.
 */
@FunctionalInterface
public interface Normalizer {

  Normalized normalize(Action action, SessionContext session) throws WardenSecurityException;

  record Normalized(Action action, Map<String, Object> facts) {
    public Normalized {
      facts = Map.copyOf(facts);
    }
  }

  /** Leaves actions as they are, with no facts. */
  Normalizer IDENTITY = (a, s) -> new Normalized(a, Map.of());
}
