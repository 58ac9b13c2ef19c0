package dev.warden.agent.model;

/** Who wrote a {@link ChatMessage}. */
public enum Role {
  /** Operator instructions and assembled workspace context. */
  SYSTEM,
  /** The person (or channel) talking to the agent. */
  USER,
  /** The model. */
  ASSISTANT,
  /** The result of a tool call, answering the {@link ToolCall} with the same id. */
  TOOL
}
