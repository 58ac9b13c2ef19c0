package dev.warden.registry.pkg;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What installing a package would change relative to what is installed: file lists, executables
 * that appear, and whether the publisher key changed. The permission diff (from the skill's
 * permission manifest) is computed by the skill loader; this is the package-level part.
 */
public record UpdatePlan(String name, String fromVersionOrNull, String toVersion, List<String> added, List<String> removed,
    List<String> changed, List<String> newlyExecutable, boolean publisherKeyChanged) {
  public UpdatePlan {
    Objects.requireNonNull(name);
    Objects.requireNonNull(toVersion);
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = List.copyOf(changed);
    newlyExecutable = List.copyOf(newlyExecutable);
  }

  public boolean isNewInstall() {
    return fromVersionOrNull == null;
  }

  /** Same files, same key: nothing would change on disk. */
  public boolean isNoop() {
    return !isNewInstall() && added.isEmpty() && removed.isEmpty() && changed.isEmpty() && !publisherKeyChanged;
  }

  /** A few lines for the owner's approval prompt. */
  public String summary() {
    List<String> lines = new ArrayList<>();
    lines.add(isNewInstall() ? "install " + name + " " + toVersion : "update " + name + " " + fromVersionOrNull + " -> " + toVersion);
    if (!added.isEmpty()) {
      lines.add("  added:   " + added);
    }
    if (!removed.isEmpty()) {
      lines.add("  removed: " + removed);
    }
    if (!changed.isEmpty()) {
      lines.add("  changed: " + changed);
    }
    if (!newlyExecutable.isEmpty()) {
      lines.add("  new executables: " + newlyExecutable);
    }
    if (publisherKeyChanged) {
      lines.add("  PUBLISHER KEY CHANGED");
    }
    return String.join("\n", lines);
  }
}
