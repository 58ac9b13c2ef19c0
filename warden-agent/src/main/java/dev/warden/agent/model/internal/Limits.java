package dev.warden.agent.model.internal;

/**
 * Bounds on everything a model provider reads from the network or from a script file. Listed, with
 * the reason for each value, in {@code docs/model-providers.md} ("Limits").
 */
public final class Limits {
  private Limits() {}

  /** Largest non-streaming response body read; a larger one fails the call. */
  public static final int MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

  /** Largest total body of one streamed (SSE) response; a larger one fails the call. */
  public static final long MAX_STREAM_BYTES = 32L * 1024 * 1024;

  /** Largest single SSE event (or line); a larger one fails the call. */
  public static final int MAX_SSE_EVENT_BYTES = 1024 * 1024;

  /** Longest one streamed call may take in total, however steadily bytes arrive. */
  public static final long MAX_CALL_DURATION_SECONDS = 30 * 60;

  /** How long to wait for a TCP (and TLS) connection to a provider. */
  public static final long CONNECT_TIMEOUT_SECONDS = 15;

  /** How often the watchdog checks streams for silence and overrun. */
  public static final long WATCHDOG_PERIOD_MILLIS = 50;

  /** Most tool calls accepted in one reply. */
  public static final int MAX_TOOL_CALLS_PER_RESPONSE = 128;

  /** Largest JSON text of one tool call's arguments. */
  public static final int MAX_TOOL_ARGUMENTS_BYTES = 1024 * 1024;

  /** Deepest JSON nesting accepted from a provider or in a directive. */
  public static final int MAX_JSON_NESTING_DEPTH = 128;

  /** Characters of a provider's error body quoted in an exception message. */
  public static final int MAX_ERROR_EXCERPT_CHARS = 600;

  /** Largest scripted-model file. */
  public static final int MAX_SCRIPT_BYTES = 4 * 1024 * 1024;

  /** Largest JSON text after {@code AGENT-DIRECTIVE:} on one line. */
  public static final int MAX_DIRECTIVE_BYTES = 256 * 1024;
}
