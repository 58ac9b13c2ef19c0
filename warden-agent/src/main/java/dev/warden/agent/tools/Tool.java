package dev.warden.agent.tools;

import dev.warden.agent.model.ToolSpec;
import dev.warden.kernel.Action;
import java.util.Map;

/**
 * A tool the model may call. A tool does nothing by itself: it turns the model's arguments into
 * an {@link Action} for the kernel to decide and execute. That is what makes the model's output
 * data rather than authority.
 */
public interface Tool {

  ToolSpec spec();

  default String name() {
    return spec().name();
  }

  /** Validates the model's arguments and builds the action; a bad argument is explained, not guessed. */
  Action toAction(Map<String, Object> arguments) throws ToolArgumentException;
}
