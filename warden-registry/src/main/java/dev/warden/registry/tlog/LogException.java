package dev.warden.registry.tlog;

import dev.warden.kernel.WardenSecurityException;
import java.util.Objects;

/** The transparency log did not check out: the registry may be lying. */
public final class LogException extends WardenSecurityException {
  public enum Reason {
    /** A tree head, entry or proof could not be read. */
    MALFORMED,
    /** A tree head's signature does not verify with the log key this client pinned. */
    BAD_HEAD_SIGNATURE,
    /** The registry signs with a different log key than the one pinned for it. */
    LOG_KEY_CHANGED,
    /** The new tree is smaller than one already seen: history was removed. */
    ROLLBACK,
    /** The new tree does not extend the one already seen: history was rewritten or forked. */
    FORK,
    /** The entry is not in the tree the registry signed. */
    NOT_INCLUDED,
    /** The log entry does not describe the package that was served. */
    ENTRY_MISMATCH
  }

  private final Reason reason;

  public LogException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason);
  }

  public LogException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason);
  }

  public Reason reason() {
    return reason;
  }
}
