package dev.warden.vault;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Everything about a secret except its value: safe to list, log and show.
 *
 * @param name the credential's name, used in placeholders ({@code wdn-cred:NAME})
 * @param hosts the destinations the value may be injected toward; never empty
 * @param scopes free-form scopes the operator attached (e.g. {@code repo:read}); may be empty
 * @param created when the secret was added
 * @param rotatedOrNull when the value was last replaced, or null if never
 * @param lastUsedOrNull when the egress proxy last injected it, or null if never
 * @param suspended whether injection is refused (quarantine or the operator)
 */
public record SecretMetadata(
    String name,
    List<HostPattern> hosts,
    List<String> scopes,
    Instant created,
    @Nullable Instant rotatedOrNull,
    @Nullable Instant lastUsedOrNull,
    boolean suspended) {

  /** Names appear inside placeholders in URLs and headers, so they stay in a URL-safe alphabet. */
  public static final Pattern NAME_SYNTAX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  public SecretMetadata {
    requireValidName(name);
    hosts = List.copyOf(hosts);
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException(
          "secret '" + name + "' needs at least one host binding (--host api.example.com)");
    }
    scopes = List.copyOf(scopes);
    Objects.requireNonNull(created, "created");
  }

  public static String requireValidName(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME_SYNTAX.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid secret name '" + name + "': use 1-64 letters, digits, '_', '.' or '-', starting"
              + " with a letter or digit");
    }
    return name;
  }

  /** Whether this secret may be injected toward {@code host}. */
  public boolean boundTo(String host) {
    for (HostPattern p : hosts) {
      if (p.matches(host)) {
        return true;
      }
    }
    return false;
  }

  SecretMetadata withSuspended(boolean s) {
    return new SecretMetadata(name, hosts, scopes, created, rotatedOrNull, lastUsedOrNull, s);
  }

  SecretMetadata withRotated(Instant at) {
    return new SecretMetadata(name, hosts, scopes, created, at, lastUsedOrNull, suspended);
  }

  SecretMetadata withLastUsed(Instant at) {
    return new SecretMetadata(name, hosts, scopes, created, rotatedOrNull, at, suspended);
  }
}
