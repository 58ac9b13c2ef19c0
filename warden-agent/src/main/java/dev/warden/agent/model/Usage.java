package dev.warden.agent.model;

/**
 * Tokens a call consumed, as the provider reported them (the scripted model estimates them).
 *
 * @param inputTokens prompt tokens, including any the provider served from a prompt cache
 * @param outputTokens generated tokens
 */
public record Usage(int inputTokens, int outputTokens) {

  /** What a provider that reports nothing used. */
  public static final Usage NONE = new Usage(0, 0);

  public Usage {
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException("token counts must be >= 0, got " + inputTokens + "/" + outputTokens);
    }
  }
}
