package dev.warden.vault;

/**
 * The greppable door to raw secret values (after Tink's {@code InsecureSecretKeyAccess}).
 *
 * <p><b>Warning:</b> calling {@link #get()} means the caller will hold a credential in clear. Each
 * call site must justify, next to the call, why it needs the value and where the value goes.
 */
public final class InsecureSecretAccess {
  private InsecureSecretAccess() {}

  public static SecretAccess get() {
    return SecretAccess.INSTANCE;
  }
}
