package dev.warden.testing.llm;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a fake LLM server answers one request with; queue them with {@code enqueue}. */
public sealed interface FakeResponse {

  /**
   * A successful reply, rendered in the server's protocol: JSON, or SSE when the request asked for
   * {@code stream: true}.
   *
   * @param text the reply text (may be empty)
   * @param toolCalls tool calls, in order
   * @param stopReasonOrNull the finish/stop reason to report; null for the protocol's usual one
   * @param inputTokens reported prompt tokens
   * @param outputTokens reported completion tokens
   * @param delayBeforeHeaders wait this long before answering at all (for timeout tests)
   * @param delayBetweenChunks wait this long between streamed events (for idle-timeout tests)
   * @param chunkChars text and tool arguments are streamed in pieces of this many characters
   */
  record Reply(String text, List<FakeToolCall> toolCalls, String stopReasonOrNull, int inputTokens,
      int outputTokens, Duration delayBeforeHeaders, Duration delayBetweenChunks, int chunkChars)
      implements FakeResponse {
    public Reply {
      Objects.requireNonNull(text, "text");
      toolCalls = List.copyOf(toolCalls);
      Objects.requireNonNull(delayBeforeHeaders, "delayBeforeHeaders");
      Objects.requireNonNull(delayBetweenChunks, "delayBetweenChunks");
      if (chunkChars < 1) {
        throw new IllegalArgumentException("chunkChars must be >= 1");
      }
    }

    public Reply withUsage(int in, int out) {
      return new Reply(text, toolCalls, stopReasonOrNull, in, out, delayBeforeHeaders, delayBetweenChunks, chunkChars);
    }

    public Reply withStopReason(String reason) {
      return new Reply(text, toolCalls, reason, inputTokens, outputTokens, delayBeforeHeaders, delayBetweenChunks, chunkChars);
    }

    public Reply withDelayBeforeHeaders(Duration d) {
      return new Reply(text, toolCalls, stopReasonOrNull, inputTokens, outputTokens, d, delayBetweenChunks, chunkChars);
    }

    public Reply withDelayBetweenChunks(Duration d) {
      return new Reply(text, toolCalls, stopReasonOrNull, inputTokens, outputTokens, delayBeforeHeaders, d, chunkChars);
    }

    public Reply withChunkChars(int n) {
      return new Reply(text, toolCalls, stopReasonOrNull, inputTokens, outputTokens, delayBeforeHeaders, delayBetweenChunks, n);
    }
  }

  /** An HTTP error status with this body (e.g. 401, 429, 500, 529) and extra headers. */
  record HttpError(int status, String body, Map<String, String> headers) implements FakeResponse {
    public HttpError {
      Objects.requireNonNull(body, "body");
      headers = Map.copyOf(headers);
    }
  }

  /**
   * Exactly these bytes with this status and content type, e.g. a truncated or malformed stream.
   *
   * @param holdOpenAfterBody keep the connection open this long after the body before ending it
   *     (the body is then sent chunked), to imitate a server that stops sending without closing
   */
  record Raw(int status, String contentType, String body, Duration holdOpenAfterBody) implements FakeResponse {
    public Raw {
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(holdOpenAfterBody, "holdOpenAfterBody");
    }

    public Raw withHoldOpen(Duration d) {
      return new Raw(status, contentType, body, d);
    }
  }

  /** A text reply; usage 10 in, 5 out; streamed in 4-character pieces. */
  static Reply text(String text) {
    return new Reply(text, List.of(), null, 10, 5, Duration.ZERO, Duration.ZERO, 4);
  }

  /** A reply that only calls tools. */
  static Reply toolCalls(FakeToolCall... calls) {
    return new Reply("", List.of(calls), null, 10, 5, Duration.ZERO, Duration.ZERO, 4);
  }

  /** A reply with text and tool calls. */
  static Reply textAndToolCalls(String text, FakeToolCall... calls) {
    return new Reply(text, List.of(calls), null, 10, 5, Duration.ZERO, Duration.ZERO, 4);
  }

  static HttpError error(int status, String body) {
    return new HttpError(status, body, Map.of());
  }

  static Raw raw(int status, String contentType, String body) {
    return new Raw(status, contentType, body, Duration.ZERO);
  }
}
