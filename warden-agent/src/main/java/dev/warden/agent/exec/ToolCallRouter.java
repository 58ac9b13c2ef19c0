package dev.warden.agent.exec;

import dev.warden.kernel.Action;
import dev.warden.kernel.ActionExecutor;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.SessionContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor of {@link Action.ToolCall}: tools provided outside the built-ins (MCP servers, WASM
 * modules, skills) each register under a provider prefix ({@code mcp:}, {@code wasm:}, …).
 */
public final class ToolCallRouter {
  private final Map<String, ActionExecutor<Action.ToolCall>> byPrefix = new ConcurrentHashMap<>();

  public void registerWith(Kernel kernel) {
    kernel.register(Action.ToolCall.class, this::execute);
  }

  /** Routes calls whose provider starts with {@code prefix} (e.g. {@code "wasm:"}). */
  public void route(String prefix, ActionExecutor<Action.ToolCall> executor) {
    byPrefix.put(prefix, executor);
  }

  ActionExecutor.Result execute(Action.ToolCall a, SessionContext s) throws Exception {
    for (Map.Entry<String, ActionExecutor<Action.ToolCall>> e : byPrefix.entrySet()) {
      if (a.provider().startsWith(e.getKey())) {
        return e.getValue().execute(a, s);
      }
    }
    throw new IllegalArgumentException("no tool provider '" + a.provider() + "' is available");
  }
}
