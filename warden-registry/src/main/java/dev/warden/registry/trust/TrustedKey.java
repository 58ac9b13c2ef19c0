package dev.warden.registry.trust;

import dev.warden.registry.pkg.PublisherKey;
import java.time.Instant;
import java.util.Objects;

/** A key the store knows, with how it got there and whether it still counts. */
public record TrustedKey(PublisherKey key, State state, Instant since, Instant revokedAtOrNull, String revocationReasonOrNull) {
  public enum State {
    /** Trusted explicitly by the owner. */
    TRUSTED,
    /** Pinned on first use. */
    PINNED,
    /** Revoked: packages signed with it fail verification. */
    REVOKED
  }

  public TrustedKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(since, "since");
    if ((state == State.REVOKED) != (revokedAtOrNull != null)) {
      throw new IllegalArgumentException("a revoked key, and only a revoked key, has a revocation time");
    }
  }
}
