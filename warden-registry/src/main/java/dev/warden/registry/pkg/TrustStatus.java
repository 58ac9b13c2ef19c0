package dev.warden.registry.pkg;

/** How a verified package's publisher key came to be accepted. */
public enum TrustStatus {
  /** The owner trusted this key explicitly. */
  TRUSTED,
  /** The key was pinned before, on first use, and has not changed since. */
  PINNED,
  /** The key was pinned just now, on first use: the owner gets a warning event. */
  PINNED_ON_FIRST_USE,
  /**
   * Signature and contents verified, publisher trust not evaluated: what the registry server
   * knows when it accepts a publish. Never enough to install.
   */
  SIGNATURE_ONLY,
  /** No signature was checked: only possible through an insecure, explicitly enabled path. */
  INSECURE_UNSIGNED
}
