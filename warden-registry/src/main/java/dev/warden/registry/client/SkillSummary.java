package dev.warden.registry.client;

import java.time.Instant;

/** A skill as search lists it. First-seen date and counts let new and rare skills stand out. */
public record SkillSummary(String slug, String owner, String description, Instant firstSeen, long downloads, long installs,
    String latestVersionOrNull) {}
