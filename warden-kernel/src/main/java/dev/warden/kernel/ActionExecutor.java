package dev.warden.kernel;

import java.util.Map;

/**
 * Performs one kind of action after the kernel has allowed and recorded it (step 5). Executors are
 * the only code in Warden that touches the world; nothing else may call them.
 */
@FunctionalInterface
public interface ActionExecutor<A extends Action> {

  Result execute(A action, SessionContext session) throws Exception;

  /**
   * What the action produced.
   *
   * @param content text handed back to the agent (a file's content, a page's text, "ok")
   * @param label where that content came from (a fetched page is untrusted, labelled with its host)
   * @param details extra audit fields (bytes, status codes; never secret values)
   */
  record Result(String content, Label label, Map<String, Object> details) {
    public Result {
      java.util.Objects.requireNonNull(content, "content");
      java.util.Objects.requireNonNull(label, "label");
      details = Map.copyOf(details);
    }

    public static Result of(String content, Label label) {
      return new Result(content, label, Map.of());
    }
  }
}
