package dev.warden.agent.model;

import java.util.OptionalInt;

/**
 * A model call failed, or a provider spec or script is wrong.
 *
 * <p>The message says which provider, the URL (never the key), the HTTP status and an excerpt of
 * the body when there was one, and how to fix it. {@link #retryable()} is true for failures that
 * another attempt or another provider may get past: connection errors, timeouts, truncated
 * streams, HTTP 408, 429 and 5xx. It is false for configuration and authentication errors (400,
 * 401, 403, 404…), which the same request will hit again.
 */
public final class ModelException extends Exception {

  private final boolean retryable;
  private final int httpStatusOrMinusOne;

  /** A failure that is not worth retrying and came from no HTTP exchange. */
  public ModelException(String message) {
    this(message, false, -1, null);
  }

  /**
   * @param httpStatusOrMinusOne the HTTP status the provider answered with, or -1 when none
   * @param causeOrNull the underlying failure, or null
   */
  public ModelException(String message, boolean retryable, int httpStatusOrMinusOne, Throwable causeOrNull) {
    super(message, causeOrNull);
    if (httpStatusOrMinusOne != -1 && (httpStatusOrMinusOne < 100 || httpStatusOrMinusOne > 599)) {
      throw new IllegalArgumentException("http status must be -1 or 100..599, got " + httpStatusOrMinusOne);
    }
    this.retryable = retryable;
    this.httpStatusOrMinusOne = httpStatusOrMinusOne;
  }

  /** Whether another attempt, or the next provider of a failover chain, may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** The HTTP status of the failed exchange, if there was one. */
  public OptionalInt httpStatus() {
    return httpStatusOrMinusOne == -1 ? OptionalInt.empty() : OptionalInt.of(httpStatusOrMinusOne);
  }
}
