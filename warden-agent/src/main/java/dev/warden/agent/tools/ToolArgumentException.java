package dev.warden.agent.tools;

/** The model called a tool with arguments that do not fit; the message goes back to the model. */
public final class ToolArgumentException extends Exception {
  public ToolArgumentException(String message) {
    super(message);
  }
}
