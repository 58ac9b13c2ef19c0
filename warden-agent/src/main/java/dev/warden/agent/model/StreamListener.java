package dev.warden.agent.model;

/**
 * Receives the reply's text as it is generated.
 *
 * <p>Contract: called on the thread that called {@link ModelProvider#chat}, in order; the
 * concatenation of all deltas equals {@link ChatResponse#text()} of a call that succeeds. Tool-call
 * arguments are not streamed here (they are only meaningful once complete). A listener must be
 * fast and must not throw (a throwing listener is logged and otherwise ignored) and must not call
 * back into the provider. Passing {@link #NONE} asks the provider for a non-streaming call.
 */
@FunctionalInterface
public interface StreamListener {

  void onTextDelta(String delta);

  /** Ignores everything; providers make a non-streaming request when given this instance. */
  StreamListener NONE = d -> {};
}
