package dev.warden.gateway;

/** Warden cannot start safely; the message says what failed and how to fix it. Nothing was started. */
public final class StartupException extends Exception {
  public StartupException(String message) {
    super(message);
  }
}
