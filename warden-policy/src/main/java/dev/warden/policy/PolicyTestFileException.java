package dev.warden.policy;

import dev.warden.kernel.WardenSecurityException;
import org.jspecify.annotations.Nullable;

/**
 * A {@code warden policy test} file that cannot be read: not YAML, an unknown action kind, a
 * missing or unknown field. The message names the file, the case and the field.
 */
public final class PolicyTestFileException extends WardenSecurityException {
  private final @Nullable String caseNameOrNull;
  private final @Nullable String fieldOrNull;

  public PolicyTestFileException(String message, @Nullable String caseNameOrNull, @Nullable String fieldOrNull) {
    super(message);
    this.caseNameOrNull = caseNameOrNull;
    this.fieldOrNull = fieldOrNull;
  }

  /** The case's name (or {@code #N} when it has none); null for file-level problems. */
  public @Nullable String caseNameOrNull() {
    return caseNameOrNull;
  }

  /** The field path, e.g. {@code action.url}; null when the problem is not one field. */
  public @Nullable String fieldOrNull() {
    return fieldOrNull;
  }
}
