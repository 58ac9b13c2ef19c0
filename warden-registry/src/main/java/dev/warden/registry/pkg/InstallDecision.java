package dev.warden.registry.pkg;

import java.util.Objects;

/** What the install policy says about one step, with the rule that decided it. */
public sealed interface InstallDecision {
  String rule();

  String reason();

  default boolean allowed() {
    return this instanceof Allowed;
  }

  record Allowed(String rule, String reason) implements InstallDecision {
    public Allowed {
      Objects.requireNonNull(rule);
      Objects.requireNonNull(reason);
    }
  }

  record Refused(String rule, String reason) implements InstallDecision {
    public Refused {
      Objects.requireNonNull(rule);
      Objects.requireNonNull(reason);
    }
  }
}
