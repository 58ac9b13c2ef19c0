/**
 * Skills in the OpenClaw / AgentSkills layout: loading ({@link dev.warden.registry.skill.SkillLoader}),
 * tiers, shadowing and requirement gating ({@link dev.warden.registry.skill.SkillCatalog}), and the
 * permission manifest ({@link dev.warden.registry.skill.PermissionManifest}). See {@code docs/skills.md}.
 *
 * <p>Everything read from a skill folder is untrusted input: sizes and counts are bounded, YAML is
 * parsed with alias limits and duplicate keys rejected, and nothing from the skill is executed.
 */
package dev.warden.registry.skill;
