package dev.warden.scenarios;

/** A scenario file that cannot be read or makes no sense; the message names the file and the fix. */
public final class ScenarioException extends Exception {
  public ScenarioException(String message) {
    super(message);
  }
}
