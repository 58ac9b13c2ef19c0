package dev.warden.kernel;

import java.util.concurrent.CompletableFuture;

/** What became of a submitted action. */
public sealed interface Submission {

  Decision decision();

  /** The action ran; its result is labelled and already joined into the session. */
  record Executed(Decision decision, ActionExecutor.Result result) implements Submission {}

  /** Policy (or normalisation) refused the action. Nothing ran. */
  record Denied(Decision decision) implements Submission {}

  /**
   * The action is parked until the owner answers approval {@code approvalId}. {@code resolution}
   * completes with Executed, Denied (owner said no, or the request expired) or Failed.
   */
  record Pending(Decision decision, String approvalId, CompletableFuture<Submission> resolution) implements Submission {}

  /** The action was allowed but its executor failed; the failure is recorded. */
  record Failed(Decision decision, String error) implements Submission {}

  default boolean executed() {
    return this instanceof Executed;
  }
}
