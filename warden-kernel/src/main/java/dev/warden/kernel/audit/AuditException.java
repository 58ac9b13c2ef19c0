package dev.warden.kernel.audit;

/**
 * The audit log could not be written or read. When appending fails, the kernel refuses the action:
 * nothing runs that is not recorded.
 */
public final class AuditException extends Exception {
  public AuditException(String message, Throwable cause) {
    super(message, cause);
  }

  public AuditException(String message) {
    super(message);
  }
}
