package dev.warden.kernel;

/** A state that should be impossible. Never caught to continue; it means Warden has a bug. */
public final class WardenBugException extends RuntimeException {
  public WardenBugException(String message) {
    super(message);
  }

  public WardenBugException(String message, Throwable cause) {
    super(message, cause);
  }
}
