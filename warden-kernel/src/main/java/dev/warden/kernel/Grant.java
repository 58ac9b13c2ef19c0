package dev.warden.kernel;

import java.time.Instant;

/**
 * A standing "yes" from the owner: the same kind of action toward the same resource is allowed
 * without asking again, within a session or until a time. Grants turn an Ask into an Allow; they
 * never override a Deny.
 */
public record Grant(String id, String actionKind, String resource, String sessionOrNull, Instant expiresOrNull,
    String approvalId) {

  public boolean matches(Action action, SessionContext session, Instant now) {
    return actionKind.equals(action.kind())
        && resource.equals(action.resource())
        && (sessionOrNull == null || sessionOrNull.equals(session.id()))
        && (expiresOrNull == null || now.isBefore(expiresOrNull));
  }
}
