package dev.warden.registry.pkg;

import dev.warden.kernel.WardenSecurityException;
import java.util.Objects;

/**
 * A package, a signature, a publisher key or an archive entry was refused. {@link #reason()} is
 * stable for programs; the message is for people and says what failed and how to fix it.
 */
public final class PackageException extends WardenSecurityException {
  /** Why a package was refused. */
  public enum Reason {
    /** The folder or archive cannot be packed or read at all (I/O, malformed tar, bad JSON). */
    MALFORMED,
    /** A limit on size, count or path length was exceeded. */
    TOO_LARGE,
    /** An entry is a link, a device, a directory entry, absolute, or escapes with {@code ..}. */
    UNSAFE_ENTRY,
    /** The detached signature does not verify over the manifest bytes with the presented key. */
    BAD_SIGNATURE,
    /** The manifest is not canonical or disagrees with the signature's key or publisher. */
    TAMPERED_MANIFEST,
    /** The archive does not match the manifest: hash, size, a missing or an extra file. */
    TAMPERED_ARCHIVE,
    /** The publisher is unknown and the trust store does not pin on first use. */
    UNKNOWN_PUBLISHER,
    /** The key was revoked in the trust store. */
    REVOKED_KEY,
    /** The publisher is pinned to a different key: possible takeover, owner must re-trust. */
    KEY_CHANGED
  }

  private final Reason reason;

  public PackageException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public PackageException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
