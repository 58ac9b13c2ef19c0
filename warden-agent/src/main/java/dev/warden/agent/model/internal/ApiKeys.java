package dev.warden.agent.model.internal;

import dev.warden.agent.model.ModelException;
import dev.warden.agent.model.ProviderSettings;

/** Reads keys only through {@link ProviderSettings#apiKeyLookupOrNull()}, never from anywhere else. */
public final class ApiKeys {
  private ApiKeys() {}

  /** The key named {@code keyName}, or null when none is stored. */
  public static String lookupOrNull(ProviderSettings settings, String keyName, String spec) throws ModelException {
    if (settings.apiKeyLookupOrNull() == null) {
      return null;
    }
    String key;
    try {
      key = settings.apiKeyLookupOrNull().apply(keyName);
    } catch (RuntimeException e) {
      // The lookup's message is not quoted: it is not ours to vouch that it holds no secret.
      throw new ModelException("model provider '" + spec + "': reading the API key '" + keyName
          + "' failed (" + e.getClass().getSimpleName() + "). Check that the vault is unlocked.", false, -1, null);
    }
    return key == null || key.isBlank() ? null : key.strip();
  }

  /** The key named {@code keyName}; a clear error when none is stored. */
  public static String require(ProviderSettings settings, String keyName, String spec) throws ModelException {
    String key = lookupOrNull(settings, keyName, spec);
    if (key == null) {
      throw missing(keyName, spec);
    }
    return key;
  }

  public static ModelException missing(String keyName, String spec) {
    return new ModelException("model provider '" + spec + "' needs an API key named '" + keyName
        + "', and none is stored. Add it with `warden secrets add " + keyName + "` (keys are read from the vault,"
        + " never from the command line or the environment).");
  }
}
