package dev.warden.registry.pkg;

import java.util.List;
import java.util.Objects;

/** Whether an installed skill still matches its {@code skills.lock} entry; empty problems means yes. */
public record LockCheck(String name, List<String> problems) {
  public LockCheck {
    Objects.requireNonNull(name);
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
