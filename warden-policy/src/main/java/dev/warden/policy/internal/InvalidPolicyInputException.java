package dev.warden.policy.internal;

/** A {@link dev.warden.kernel.PolicyRequest} that cannot be mapped to Cedar (a mistyped fact). */
public final class InvalidPolicyInputException extends Exception {
  public InvalidPolicyInputException(String message) {
    super(message);
  }
}
