package dev.warden.agent.model;

import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What a provider needs besides its spec.
 *
 * @param apiKeyLookupOrNull maps a key name ({@code openai}, {@code anthropic}, {@code azure}; see
 *     {@link ModelProviders}) to the key, or to null when none is stored; null when no keys are
 *     available at all. This is the only way a key reaches a provider: never argv, the environment
 *     or the spec. Called at creation (to fail early) and on every call (so rotation takes effect).
 * @param timeout how long to wait for the response headers, and the longest silence allowed
 *     between two reads of the body; positive, at most {@link #MAX_TIMEOUT_SECONDS}
 * @param extraHeaders headers added to every request (e.g. for a routing proxy); may not set
 *     authentication or framing headers; unmodifiable
 */
public record ProviderSettings(
    Function<String, String> apiKeyLookupOrNull, Duration timeout, Map<String, String> extraHeaders) {

  /** Default for {@link #timeout()}: long enough for a slow first token from a large model. */
  public static final long DEFAULT_TIMEOUT_SECONDS = 120;

  /** Upper bound on {@link #timeout()}. */
  public static final long MAX_TIMEOUT_SECONDS = 900;

  /** Upper bound on the number of {@link #extraHeaders()}. */
  public static final int MAX_EXTRA_HEADERS = 32;

  // Keys come only from the vault, and the JDK client owns framing.
  private static final Set<String> FORBIDDEN_HEADERS = Set.of(
      "authorization", "api-key", "x-api-key", "proxy-authorization", "cookie",
      "host", "content-length", "connection", "expect", "upgrade", "transfer-encoding", "te");

  public ProviderSettings {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofSeconds(MAX_TIMEOUT_SECONDS)) > 0) {
      throw new IllegalArgumentException(
          "model timeout must be between 1 ms and " + MAX_TIMEOUT_SECONDS + " s, got " + timeout);
    }
    Objects.requireNonNull(extraHeaders, "extraHeaders");
    if (extraHeaders.size() > MAX_EXTRA_HEADERS) {
      throw new IllegalArgumentException("at most " + MAX_EXTRA_HEADERS + " extra headers, got " + extraHeaders.size());
    }
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, String> e : extraHeaders.entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      if (name == null || !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
        throw new IllegalArgumentException("extra header name is not a valid HTTP token: " + name);
      }
      if (FORBIDDEN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("extra header '" + name + "' is not allowed: API keys come only from the"
            + " key lookup (the vault), and framing headers belong to the HTTP client");
      }
      if (value == null || value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
        throw new IllegalArgumentException("extra header '" + name + "' has a missing value or control characters");
      }
      copy.put(name, value);
    }
    extraHeaders = Collections.unmodifiableMap(copy);
  }

  /** No API keys, a {@value #DEFAULT_TIMEOUT_SECONDS} s timeout, no extra headers. */
  public static ProviderSettings defaults() {
    return new ProviderSettings(null, Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS), Map.of());
  }

  public ProviderSettings withApiKeyLookup(Function<String, String> lookupOrNull) {
    return new ProviderSettings(lookupOrNull, timeout, extraHeaders);
  }

  public ProviderSettings withTimeout(Duration newTimeout) {
    return new ProviderSettings(apiKeyLookupOrNull, newTimeout, extraHeaders);
  }

  public ProviderSettings withExtraHeaders(Map<String, String> headers) {
    return new ProviderSettings(apiKeyLookupOrNull, timeout, headers);
  }
}
