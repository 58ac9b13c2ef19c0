package dev.warden.registry.skill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The skills in force: every skill folder under the configured roots, with precedence applied
 * (workspace over managed over bundled) and then requirement gating.
 *
 * <p>Order of rules: precedence first, then gating. A workspace skill whose requirements are unmet
 * still hides the bundled skill of the same name (it is listed in {@link #unavailable()} with its
 * reasons, and the bundled one in {@link #shadowed()}), so that dropping a folder into the workspace
 * reliably replaces a skill rather than sometimes falling back to another copy.
 *
 * <p>Failure: a folder that does not load is listed in {@link #failures()} with the loader's message;
 * it never stops the other skills from loading.
 */
public final class SkillCatalog {

  /** A folder whose sub-folders are skills, at a tier. */
  public record Root(Path dir, SkillTier tier) {
    public Root {
      Objects.requireNonNull(dir, "dir");
      Objects.requireNonNull(tier, "tier");
    }
  }

  /** A skill that is not offered to the model, and why. */
  public record Unavailable(Skill skill, List<String> reasons) {
    public Unavailable {
      reasons = List.copyOf(reasons);
    }
  }

  /** A skill hidden by a same-named skill of higher (or equal, earlier-listed) precedence. */
  public record Shadowed(Skill hidden, Skill winner) {}

  /** A folder that could not be loaded. */
  public record Failure(Path dir, SkillTier tier, String message) {}

  private final List<Skill> offered;
  private final List<Unavailable> unavailable;
  private final List<Shadowed> shadowed;
  private final List<Failure> failures;

  private SkillCatalog(List<Skill> offered, List<Unavailable> unavailable, List<Shadowed> shadowed, List<Failure> failures) {
    this.offered = List.copyOf(offered);
    this.unavailable = List.copyOf(unavailable);
    this.shadowed = List.copyOf(shadowed);
    this.failures = List.copyOf(failures);
  }

  /**
   * Loads every skill under {@code roots} (each immediate sub-folder holding a {@code SKILL.md}, or
   * the root itself when it holds one). Missing roots are skipped: a fresh install has no
   * workspace skills.
   */
  public static SkillCatalog load(List<Root> roots, HostEnvironment host) {
    List<Skill> loaded = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    for (Root root : roots) {
      for (Path dir : skillDirs(root.dir(), failures, root.tier())) {
        try {
          loaded.add(SkillLoader.load(dir, root.tier()));
        } catch (SkillFormatException e) {
          failures.add(new Failure(dir, root.tier(), e.getMessage()));
        }
      }
    }
    // Stable sort: within one tier, earlier roots and folder names win.
    loaded.sort(Comparator.comparingInt((Skill s) -> -s.tier().precedence()));
    Map<String, Skill> winners = new LinkedHashMap<>();
    List<Shadowed> shadowed = new ArrayList<>();
    for (Skill s : loaded) {
      Skill w = winners.putIfAbsent(s.name(), s);
      if (w != null) {
        shadowed.add(new Shadowed(s, w));
      }
    }
    List<Skill> offered = new ArrayList<>();
    List<Unavailable> unavailable = new ArrayList<>();
    for (Skill s : winners.values().stream().sorted(Comparator.comparing(Skill::name)).toList()) {
      List<String> reasons = s.requirements().unmetOn(host);
      if (reasons.isEmpty()) {
        offered.add(s);
      } else {
        unavailable.add(new Unavailable(s, reasons));
      }
    }
    return new SkillCatalog(offered, unavailable, shadowed, failures);
  }

  private static List<Path> skillDirs(Path root, List<Failure> failures, SkillTier tier) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    if (Files.isRegularFile(root.resolve(SkillLoader.SKILL_FILE))) {
      return List.of(root);
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(Files::isDirectory)
          .filter(d -> Files.isRegularFile(d.resolve(SkillLoader.SKILL_FILE)))
          .sorted()
          .toList();
    } catch (IOException e) {
      failures.add(new Failure(root, tier, "cannot list skill root: " + e));
      return List.of();
    }
  }

  /** Skills offered to the model, sorted by name. */
  public List<Skill> offered() {
    return offered;
  }

  /** Skills in force whose requirements are not met on this host, with the reasons. */
  public List<Unavailable> unavailable() {
    return unavailable;
  }

  /** Skills hidden by a same-named skill of higher precedence. */
  public List<Shadowed> shadowed() {
    return shadowed;
  }

  /** Folders that did not load. */
  public List<Failure> failures() {
    return failures;
  }

  /** The offered skill of that name. */
  public Optional<Skill> find(String name) {
    return offered.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
