package dev.warden.agent;

import java.util.List;

/** The end of a turn: the model's final reply and every action it attempted. */
public record TurnResult(String reply, List<ActionReport> actions, int steps, int tokens, String stopReason) {
  public TurnResult {
    actions = List.copyOf(actions);
  }
}
