package dev.warden.kernel;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * An action parked until the owner answers. What the owner sees: what ({@code description}), the
 * one-sentence reason naming the untrusted sources that tainted the session, the rule, the scoped
 * answers offered, and for instruction-file writes the diff.
 */
public record ApprovalRequest(
    String id,
    String sessionId,
    String principal,
    String actionKind,
    String resource,
    String description,
    String reason,
    String rule,
    SortedSet<String> sources,
    Map<String, Object> actionFields,
    String diffOrNull,
    List<GrantScope> scopes,
    Instant created,
    Instant expires,
    Status status,
    String answeredByOrNull,
    Instant answeredOrNull,
    String groupKey) {

  public enum Status {
    PENDING,
    GRANTED,
    DENIED,
    EXPIRED,
    CANCELLED
  }

  public ApprovalRequest {
    sources = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(sources));
    actionFields = Map.copyOf(actionFields.entrySet().stream().filter(e -> e.getValue() != null)
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    scopes = List.copyOf(scopes);
  }

  public ApprovalRequest withStatus(Status s, String by, Instant at) {
    return new ApprovalRequest(id, sessionId, principal, actionKind, resource, description, reason, rule, sources,
        actionFields, diffOrNull, scopes, created, expires, s, by, at, groupKey);
  }

  public boolean pending() {
    return status == Status.PENDING;
  }
}
