/**
 * Skill packages: deterministic archive + manifest ({@link dev.warden.registry.pkg.SkillPacker}),
 * Ed25519 publisher keys and detached signatures, verification
 * ({@link dev.warden.registry.pkg.PackageVerifier}), the install policy, the quarantining
 * installer and {@code skills.lock}. See {@code docs/registry.md}.
 */
package dev.warden.registry.pkg;
