package dev.warden.kernel;

/**
 * An expected security failure: a protection could not be set up, a signature does not verify, an
 * input is outside what is allowed. The message says what failed, what was configured and how to
 * fix it.
 */
public class WardenSecurityException extends Exception {
  public WardenSecurityException(String message) {
    super(message);
  }

  public WardenSecurityException(String message, Throwable cause) {
    super(message, cause);
  }
}
