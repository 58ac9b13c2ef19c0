package dev.warden.registry.pkg;

/**
 * Decides whether a publisher key may vouch for packages. Implemented by the trust store; called
 * by {@link PackageVerifier} only after the signature and the archive have verified, so that a
 * trust-on-first-use pin is only ever made for a key that has actually signed a valid package.
 */
@FunctionalInterface
public interface PublisherTrust {
  /** Admits the key, or throws with {@code UNKNOWN_PUBLISHER}, {@code REVOKED_KEY} or {@code KEY_CHANGED}. */
  TrustStatus admit(PublisherKey key) throws PackageException;
}
