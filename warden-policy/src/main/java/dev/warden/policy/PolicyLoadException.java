package dev.warden.policy;

import dev.warden.kernel.WardenSecurityException;

/**
 * A policy file could not be loaded: a syntax error, a policy that does not match Warden's
 * schema, a missing or duplicate {@code @id}, a bad annotation. Loading fails as a whole, so the
 * previous policy (or none: Warden does not start) stays in force. The message starts with
 * {@code file:line:}.
 */
public final class PolicyLoadException extends WardenSecurityException {
  private final String file;
  private final int line;

  public PolicyLoadException(String file, int line, String problem) {
    super(file + ":" + line + ": " + problem
        + " (the policy set was not loaded; fix or remove the file, then reload)");
    this.file = file;
    this.line = line;
  }

  /** The file the error is in, as {@code classpath:…} or a filesystem path. */
  public String file() {
    return file;
  }

  /** 1-based line of the error (the start of the offending policy when Cedar gives no position). */
  public int line() {
    return line;
  }
}
