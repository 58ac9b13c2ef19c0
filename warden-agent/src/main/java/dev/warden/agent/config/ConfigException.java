package dev.warden.agent.config;

/** {@code warden.yaml} is wrong; the message names the file, the key and what is expected. */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }
}
