package dev.warden.registry.trust;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Something the owner should hear about: a new pin, a refused key, a trust change. */
public record TrustEvent(Kind kind, Instant at, String publisher, String keyId, List<String> previousKeyIds, String message) {
  public enum Kind {
    /** A publisher's first key was pinned without the owner's explicit trust: a warning. */
    PINNED_ON_FIRST_USE,
    /** A pinned publisher presented a different key: refused, loudly. */
    KEY_CHANGE_REFUSED,
    /** A revoked key was presented: refused. */
    REVOKED_KEY_REFUSED,
    /** A publisher nobody trusted was presented while pinning on first use is off: refused. */
    UNKNOWN_PUBLISHER_REFUSED,
    /** The owner trusted a key explicitly. */
    TRUSTED,
    /** The owner revoked a key. */
    REVOKED,
    /** The owner removed a key from the store. */
    REMOVED
  }

  public TrustEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(publisher, "publisher");
    Objects.requireNonNull(keyId, "keyId");
    previousKeyIds = List.copyOf(previousKeyIds);
    Objects.requireNonNull(message, "message");
  }

  /** A warning or a refusal, as opposed to an owner's own change. */
  public boolean isWarning() {
    return kind != Kind.TRUSTED && kind != Kind.REVOKED && kind != Kind.REMOVED;
  }
}
