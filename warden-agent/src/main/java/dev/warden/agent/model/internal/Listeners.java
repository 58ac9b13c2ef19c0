package dev.warden.agent.model.internal;

import dev.warden.agent.model.StreamListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers deltas to a listener that, by contract, must not throw; when one does, it is logged once. */
public final class Listeners {
  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

  private Listeners() {}

  public static StreamListener safe(StreamListener listener) {
    return new StreamListener() {
      private boolean warned;

      @Override
      public void onTextDelta(String delta) {
        if (delta.isEmpty()) {
          return;
        }
        try {
          listener.onTextDelta(delta);
        } catch (RuntimeException e) {
          if (!warned) {
            warned = true;
            LOG.warn("a model stream listener threw; further deltas are still delivered", e);
          }
        }
      }
    };
  }
}
