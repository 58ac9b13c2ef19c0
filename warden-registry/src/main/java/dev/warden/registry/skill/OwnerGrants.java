package dev.warden.registry.skill;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the owner allows skills to have, in the shape of a {@link PermissionManifest}. A skill runs
 * with {@code manifest.intersect(grants)}: it never gets more than it declared nor more than the
 * owner allows.
 *
 * <p>Hosts may be written {@code *.example.com} (any subdomain, not the apex). Paths grant the
 * directory and everything under it. A credential grant whose scopes contain {@code *} grants
 * whatever scopes the manifest asks for; otherwise the scopes are intersected.
 */
public record OwnerGrants(
    Set<String> networkHosts,
    Set<CredentialPermission> credentials,
    Set<String> executables,
    Set<String> readPaths,
    Set<String> writePaths,
    Set<String> tools) {

  /** Grants nothing. */
  public static final OwnerGrants NONE =
      new OwnerGrants(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of());

  public OwnerGrants {
    networkHosts = PermissionManifest.sortedHosts(networkHosts);
    credentials = Collections.unmodifiableSortedSet(new TreeSet<>(credentials));
    executables = Collections.unmodifiableSortedSet(new TreeSet<>(executables));
    readPaths = Collections.unmodifiableSortedSet(new TreeSet<>(readPaths));
    writePaths = Collections.unmodifiableSortedSet(new TreeSet<>(writePaths));
    tools = Collections.unmodifiableSortedSet(new TreeSet<>(tools));
  }
}
