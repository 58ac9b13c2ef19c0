package dev.warden.registry.client;

import java.time.Instant;

/** One published version of a skill. */
public record VersionInfo(String version, Instant publishedAt, String manifestSha256, String publisher, String publisherKeyId,
    long logIndex, boolean yanked, String yankReasonOrNull) {}
