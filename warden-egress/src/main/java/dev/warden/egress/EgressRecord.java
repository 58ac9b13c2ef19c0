package dev.warden.egress;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One request through the egress proxy, as reported to the {@link EgressListener}. Holds no secret
 * values and no query string (only the path), so it can go to the audit log as is.
 *
 * @param startedAt when the request head was read
 * @param method HTTP method ({@code CONNECT} for a refused tunnel)
 * @param scheme {@code http} or {@code https}
 * @param host destination host as requested
 * @param port destination port
 * @param path URL path without the query
 * @param addressOrNull the pinned IP address connected to, or null if none was resolved
 * @param bytesUp bytes sent to the upstream server (head and body, after injection)
 * @param bytesDown bytes relayed back to the client
 * @param status HTTP status returned to the client (0 if none was sent)
 * @param verdict {@code allow}, {@code deny}, {@code ask} (the kernel's verdict) or {@code blocked}
 *     (refused by the proxy's own checks before the kernel was asked)
 * @param rule the rule that decided (a kernel rule id or one of the {@code egress-*} rules below)
 * @param blockedReasonOrNull why the request was refused, or null if it was sent
 * @param errorOrNull what went wrong talking to the upstream server, or null
 * @param credentialNames vault secrets whose placeholders the request carried
 * @param duration from head read to last byte relayed
 * @param alert true when the request looks like an exfiltration attempt (placeholder toward an
 *     unbound host, secret or token in the request): the gateway should raise an alert
 */
public record EgressRecord(
    Instant startedAt,
    String method,
    String scheme,
    String host,
    int port,
    String path,
    @Nullable String addressOrNull,
    long bytesUp,
    long bytesDown,
    int status,
    String verdict,
    String rule,
    @Nullable String blockedReasonOrNull,
    @Nullable String errorOrNull,
    SortedSet<String> credentialNames,
    Duration duration,
    boolean alert) {

  /** Destination refused by the {@link DestinationGuard}. */
  public static final String RULE_DESTINATION = "egress-destination-guard";
  /** A placeholder toward a host outside the credential's bindings. */
  public static final String RULE_CREDENTIAL_UNBOUND = "egress-credential-unbound-host";
  /** A placeholder for a suspended credential. */
  public static final String RULE_CREDENTIAL_SUSPENDED = "egress-credential-suspended";
  /** A placeholder naming no credential. */
  public static final String RULE_CREDENTIAL_UNKNOWN = "egress-credential-unknown";
  /** A vault secret or a well-known token shape found in the request. */
  public static final String RULE_LEAK = "egress-leak-scan";
  /** Malformed or over-limit request. */
  public static final String RULE_PROTOCOL = "egress-protocol";
  /** The authorizer threw. */
  public static final String RULE_AUTHORIZER_ERROR = "egress-authorizer-error";

  public EgressRecord {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(rule, "rule");
    credentialNames = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(credentialNames));
    Objects.requireNonNull(duration, "duration");
  }

  /** Whether the request was sent upstream. */
  public boolean sent() {
    return blockedReasonOrNull == null;
  }
}
