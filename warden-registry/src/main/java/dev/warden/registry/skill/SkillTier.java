package dev.warden.registry.skill;

/**
 * Where a skill was found. When two tiers hold a skill of the same name, the higher tier wins and
 * the other is recorded as shadowed ({@link SkillCatalog#shadowed()}), so an owner can always see
 * which copy is in force.
 */
public enum SkillTier {
  /** Bundled with Warden itself: the lowest precedence. */
  BUNDLED(1),
  /** Installed by the owner through the registry ({@code WARDEN_HOME/skills}). */
  MANAGED(2),
  /** In the agent's workspace ({@code workspace/skills}): the highest precedence. */
  WORKSPACE(3);

  private final int precedence;

  SkillTier(int precedence) {
    this.precedence = precedence;
  }

  /** Higher wins. */
  public int precedence() {
    return precedence;
  }
}
