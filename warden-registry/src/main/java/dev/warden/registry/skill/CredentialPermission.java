package dev.warden.registry.skill;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A credential a skill asks to use: the vault name (also the env var its placeholder is exposed
 * under) and the scopes it needs. Empty scopes mean "the credential, unscoped".
 */
public record CredentialPermission(String name, Set<String> scopes) implements Comparable<CredentialPermission> {
  public CredentialPermission {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("credential name must not be blank");
    }
    scopes = Collections.unmodifiableSortedSet(new TreeSet<>(scopes));
  }

  public static CredentialPermission of(String name, String... scopes) {
    return new CredentialPermission(name, Set.of(scopes));
  }

  @Override
  public int compareTo(CredentialPermission o) {
    int c = name.compareTo(o.name);
    return c != 0 ? c : scopes.toString().compareTo(o.scopes.toString());
  }

  @Override
  public String toString() {
    return scopes.isEmpty() ? name : name + scopes;
  }
}
