package dev.warden.agent.model;

/**
 * A language model behind some wire protocol. Create one with {@link ModelProviders#create}.
 *
 * <p>Guarantees: everything read from the network is bounded in bytes and time (see {@code
 * docs/model-providers.md}, "Limits"); an API key never appears in an exception message, a log
 * line or {@link #name()}.
 *
 * <p>Concurrency: the HTTP providers are stateless and may be shared. The scripted provider holds
 * its script position, so one instance serves exactly one session.
 */
public interface ModelProvider {

  /** The spec this provider was created from, without secrets, e.g. {@code openai:gpt-4o}. */
  String name();

  /**
   * Sends the conversation and returns the model's reply.
   *
   * @param listener receives text deltas as they arrive; {@link StreamListener#NONE} makes a
   *     non-streaming request
   * @throws ModelException when the provider cannot be reached, refuses, times out or answers with
   *     something that is not a valid reply; {@link ModelException#retryable()} says whether
   *     trying again (or another provider) may help
   */
  ChatResponse chat(ChatRequest request, StreamListener listener) throws ModelException;
}
