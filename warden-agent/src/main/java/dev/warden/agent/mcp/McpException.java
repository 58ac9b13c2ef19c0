package dev.warden.agent.mcp;

/**
 * An expected MCP failure: a server that cannot be started or reached, a refused configuration, a
 * disabled tool. The message says what failed, what was configured and how to fix it.
 */
public final class McpException extends Exception {
  public McpException(String message) {
    super(message);
  }

  public McpException(String message, Throwable cause) {
    super(message, cause);
  }
}
