package dev.warden.registry.client;

import java.time.Instant;

/** A user's report against a skill (or one version of it). */
public record SkillReport(String versionOrNull, String reason, Instant reportedAt) {}
