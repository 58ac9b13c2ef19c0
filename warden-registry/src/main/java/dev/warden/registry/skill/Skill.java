package dev.warden.registry.skill;

import dev.warden.kernel.Label;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A skill as loaded from its folder: the frontmatter's {@code name} and {@code description}, the
 * Markdown instructions, what it needs from the host and what it may do.
 *
 * <p>Warning: everything here except {@code tier} and {@code dir} was written by the skill's author
 * and is untrusted content until the skill is signed by a trusted publisher and allowed.
 *
 * @param name the frontmatter {@code name}
 * @param description the frontmatter {@code description}
 * @param dir the skill's folder (absolute, normalised)
 * @param tier where the skill was found
 * @param body the Markdown after the frontmatter
 * @param requirements bins, env vars, OS and install steps from {@code metadata.openclaw}
 * @param manifest the permission manifest, {@link PermissionManifest#NONE} when none is declared
 * @param files every regular file in the folder, relative to {@code dir}, sorted ({@code SKILL.md}
 *     included)
 * @param bodyFirstLine the 1-based line of {@code SKILL.md} on which {@code body} starts
 */
public record Skill(
    String name,
    String description,
    Path dir,
    SkillTier tier,
    String body,
    SkillRequirements requirements,
    PermissionManifest manifest,
    List<Path> files,
    int bodyFirstLine) {

  /** Longest {@code name} accepted (the AgentSkills limit). */
  public static final int MAX_NAME_CHARS = 64;

  public Skill {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.length() > MAX_NAME_CHARS) {
      throw new IllegalArgumentException("skill name must be 1.." + MAX_NAME_CHARS + " characters, got: '" + name + "'");
    }
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(requirements, "requirements");
    Objects.requireNonNull(manifest, "manifest");
    files = List.copyOf(files);
    if (bodyFirstLine < 1) {
      throw new IllegalArgumentException("bodyFirstLine is 1-based, got " + bodyFirstLine);
    }
  }

  /** The skill's {@code SKILL.md}. */
  public Path skillFile() {
    return dir.resolve(SkillLoader.SKILL_FILE);
  }

  /**
   * The label this skill's text carries into the model's context: trusted only when it is signed by
   * a trusted publisher and allowed by the install policy (the caller decides that; this type cannot
   * know), untrusted otherwise, so that reading an unvetted skill taints the session.
   */
  public Label contentLabel(boolean signedByTrustedPublisherAndAllowed) {
    return signedByTrustedPublisherAndAllowed ? Label.trusted("trusted-skill:" + name) : Label.untrusted("skill:" + name);
  }

  /** Files other than {@code SKILL.md} and the sidecar manifest: scripts, references, assets. */
  public List<Path> extraFiles() {
    return files.stream()
        .filter(p -> !p.toString().equals(SkillLoader.SKILL_FILE) && !p.toString().equals(SkillLoader.MANIFEST_FILE))
        .toList();
  }
}
