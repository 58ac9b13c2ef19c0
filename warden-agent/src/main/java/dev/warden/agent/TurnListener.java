package dev.warden.agent;

/** Live view of a turn (web chat streaming, CLI). Must be fast and must not throw. */
public interface TurnListener {
  default void onTextDelta(String delta) {}

  default void onAction(ActionReport report) {}

  default void onReply(String text) {}

  TurnListener NONE = new TurnListener() {};
}
