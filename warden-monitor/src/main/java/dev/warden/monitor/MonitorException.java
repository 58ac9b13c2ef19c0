package dev.warden.monitor;

/** The monitor could not start or do what was asked; the message says what, where and how to fix it. */
public final class MonitorException extends Exception {
  public MonitorException(String message, Throwable cause) {
    super(message, cause);
  }

  public MonitorException(String message) {
    super(message);
  }
}
