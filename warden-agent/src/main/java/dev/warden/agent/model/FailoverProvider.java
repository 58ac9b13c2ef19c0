package dev.warden.agent.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries providers in order, moving to the next only when a failure is {@linkplain
 * ModelException#retryable() retryable} (connection errors, timeouts, truncated streams, HTTP 408,
 * 429, 5xx). A non-retryable failure (a rejected key, a bad request, an unknown model) ends the call
 * at once: the next provider would only hide a configuration error.
 *
 * <p>Streaming: once a provider has delivered a text delta to the listener, its failure is not
 * failed over, because the listener cannot take the text back; the call fails instead.
 *
 * <p>Records which provider answered: {@link #lastAnsweredByOrNull()}, and an INFO log line naming
 * the provider that failed and the one tried next (messages never contain keys).
 *
 * <p>Concurrency: safe to share when its providers are; {@link #lastAnsweredByOrNull()} then reports
 * the most recently completed call.
 */
public final class FailoverProvider implements ModelProvider {

  private static final Logger LOG = LoggerFactory.getLogger(FailoverProvider.class);

  private final List<ModelProvider> providers;
  private final String name;
  private volatile String lastAnsweredByOrNull;

  /** @param providers tried in this order; at least one */
  public FailoverProvider(List<ModelProvider> providers) {
    this.providers = List.copyOf(Objects.requireNonNull(providers, "providers"));
    if (this.providers.isEmpty()) {
      throw new IllegalArgumentException("a failover chain needs at least one provider");
    }
    this.name = "failover:" + String.join("|", this.providers.stream().map(ModelProvider::name).toList());
  }

  @Override
  public String name() {
    return name;
  }

  /** The providers, in the order they are tried. */
  public List<ModelProvider> providers() {
    return providers;
  }

  /** The {@link ModelProvider#name()} of the provider that answered the last successful call, or null. */
  public String lastAnsweredByOrNull() {
    return lastAnsweredByOrNull;
  }

  @Override
  public ChatResponse chat(ChatRequest request, StreamListener listener) throws ModelException {
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < providers.size(); i++) {
      ModelProvider p = providers.get(i);
      boolean[] streamed = {false};
      StreamListener tracking = listener == StreamListener.NONE ? StreamListener.NONE : d -> {
        streamed[0] = true;
        listener.onTextDelta(d);
      };
      try {
        ChatResponse r = p.chat(request, tracking);
        lastAnsweredByOrNull = p.name();
        if (i > 0) {
          LOG.info("model call answered by failover provider {} after: {}", p.name(), failures);
        }
        return r;
      } catch (ModelException e) {
        if (!e.retryable()) {
          throw e;
        }
        if (streamed[0]) {
          throw new ModelException(e.getMessage() + " (not failed over: part of the reply had already been"
              + " streamed)", true, e.httpStatus().orElse(-1), e);
        }
        failures.add(p.name() + ": " + e.getMessage());
        if (i + 1 < providers.size()) {
          LOG.info("model provider {} failed ({}); trying {}", p.name(), e.getMessage(), providers.get(i + 1).name());
        }
      }
    }
    throw new ModelException("every provider of " + name + " failed with a retryable error: "
        + String.join("; ", failures), true, -1, null);
  }
}
