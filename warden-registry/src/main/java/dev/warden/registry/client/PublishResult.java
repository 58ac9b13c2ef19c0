package dev.warden.registry.client;

/** The registry's answer to a publish: {@code created} is false when the same content was already there. */
public record PublishResult(String slug, boolean created, VersionInfo version) {}
