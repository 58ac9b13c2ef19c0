package dev.warden.registry.skill;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a skill needs from the host, from {@code metadata.openclaw} (or the older
 * {@code metadata.clawdbot} / {@code metadata.moltbot}). A skill whose requirements are not met is
 * not offered to the model; {@link #unmetOn} says why.
 *
 * @param bins executables that must all be on {@code PATH}
 * @param anyBins executables of which at least one must be on {@code PATH}
 * @param env environment variables that must be set
 * @param os operating systems the skill supports (empty: any)
 * @param primaryEnvOrNull the env var holding the skill's main credential, if declared
 * @param emojiOrNull display emoji
 * @param homepageOrNull project homepage
 * @param install ways to install the prerequisites
 */
public record SkillRequirements(
    List<String> bins,
    List<String> anyBins,
    List<String> env,
    List<String> os,
    String primaryEnvOrNull,
    String emojiOrNull,
    String homepageOrNull,
    List<InstallSpec> install) {

  /** A skill that declares nothing. */
  public static final SkillRequirements NONE =
      new SkillRequirements(List.of(), List.of(), List.of(), List.of(), null, null, null, List.of());

  public SkillRequirements {
    bins = List.copyOf(bins);
    anyBins = List.copyOf(anyBins);
    env = List.copyOf(env);
    os = List.copyOf(os);
    install = List.copyOf(install);
  }

  /**
   * The reasons this skill cannot be offered on {@code host}, one per unmet requirement; empty when
   * everything is there.
   */
  public List<String> unmetOn(HostEnvironment host) {
    Objects.requireNonNull(host, "host");
    List<String> reasons = new ArrayList<>();
    if (!os.isEmpty() && !os.contains(host.os())) {
      reasons.add("needs OS " + String.join(" or ", os) + ", this host is " + host.os());
    }
    for (String b : bins) {
      if (!host.hasBinary(b)) {
        reasons.add("needs executable '" + b + "' on PATH (install it, or see the skill's install steps)");
      }
    }
    if (!anyBins.isEmpty() && anyBins.stream().noneMatch(host::hasBinary)) {
      reasons.add("needs one of the executables " + anyBins + " on PATH");
    }
    for (String e : env) {
      if (!host.hasEnv(e)) {
        reasons.add("needs environment variable " + e + " (set it, or bind a vault credential to it)");
      }
    }
    return List.copyOf(reasons);
  }
}
