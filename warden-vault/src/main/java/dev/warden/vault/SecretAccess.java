package dev.warden.vault;

/**
 * A capability token: whoever holds one may read a {@link Secret}'s bytes.
 *
 * <p>The only way to get one is {@link InsecureSecretAccess#get()}, so every place in Warden that
 * handles a raw secret value can be found with one grep. There are meant to be very few: the vault
 * itself, the egress proxy at the moment of injection, and the gateway when it calls a model
 * provider with its API key.
 */
public final class SecretAccess {
  static final SecretAccess INSTANCE = new SecretAccess();

  private SecretAccess() {}
}
