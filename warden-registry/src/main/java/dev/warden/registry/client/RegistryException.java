package dev.warden.registry.client;

import dev.warden.kernel.WardenSecurityException;

/** The registry refused a request or answered something unusable. */
public final class RegistryException extends WardenSecurityException {
  private final int status;

  public RegistryException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status, or 0 when the answer itself was unusable. */
  public int status() {
    return status;
  }
}
