package dev.warden.gateway;

import dev.warden.kernel.AtomicFiles;
import dev.warden.kernel.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may talk to the gateway.
 *
 * <h2>Design notes</h2>
 * <b>Token.</b> A random token is generated at first start and shown once; only its salted SHA-256
 * is stored ({@code keys/gateway-token.hash}). It is accepted as {@code Authorization: Bearer} and,
 * from the browser, exchanged once at {@code POST /api/login} for an HttpOnly, SameSite=Strict
 * session cookie. It is never accepted in a URL query (URLs end up in logs, history, Referer).
 *
 * <p><b>Operator token.</b> The CLI on the same host answers approvals through the running
 * gateway with a second random token kept in {@code keys/operator.token} (mode 0600): whoever can
 * read WARDEN_HOME is the operator already.
 *
 * <p><b>Brute force.</b> At most {@link #MAX_FAILED_LOGINS_PER_WINDOW} failed attempts per client
 * address per {@link #FAILED_LOGIN_WINDOW}; beyond that every attempt is refused until the window
 * passes. Comparisons are constant-time.
 */
public final class GatewayAuth {

  public static final int MAX_FAILED_LOGINS_PER_WINDOW = 5;
  public static final Duration FAILED_LOGIN_WINDOW = Duration.ofMinutes(1);
  public static final Duration SESSION_TTL = Duration.ofHours(12);
  public static final String COOKIE = "warden_session";
  public static final String CSRF_HEADER = "X-Warden-CSRF";

  public record WebSession(String id, String csrf, Instant expires) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path hashFile;
  private final Path operatorFile;
  private final InstantSource clock;
  private final Map<String, WebSession> sessions = new ConcurrentHashMap<>();
  private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
  private volatile String saltedHash;
  private volatile String operatorToken;

  public GatewayAuth(Path keysDir, InstantSource clock) {
    this.hashFile = keysDir.resolve("gateway-token.hash");
    this.operatorFile = keysDir.resolve("operator.token");
    this.clock = clock;
  }

  /**
   * Loads the stored hash, or on first start creates a token and returns it (the only time it is
   * ever available in clear). Also ensures the operator token exists.
   */
  public Optional<String> initialise() throws IOException {
    Files.createDirectories(hashFile.getParent());
    if (!Files.exists(operatorFile)) {
      AtomicFiles.writeString(operatorFile, randomToken() + "\n", PosixFilePermissions.fromString("rw-------"));
    }
    operatorToken = Files.readString(operatorFile, StandardCharsets.US_ASCII).strip();
    if (Files.exists(hashFile)) {
      saltedHash = Files.readString(hashFile, StandardCharsets.US_ASCII).strip();
      return Optional.empty();
    }
    return Optional.of(resetToken());
  }

  /** Replaces the token; the old one stops working at once. Returns the new token. */
  public String resetToken() throws IOException {
    String token = randomToken();
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    String s = Base64.getEncoder().encodeToString(salt);
    String h = s + ":" + Hashing.sha256Hex(s + ":" + token);
    AtomicFiles.writeString(hashFile, h + "\n", PosixFilePermissions.fromString("rw-------"));
    saltedHash = h;
    sessions.clear();
    return token;
  }

  public static String readOperatorToken(Path keysDir) throws IOException {
    return Files.readString(keysDir.resolve("operator.token"), StandardCharsets.US_ASCII).strip();
  }

  /** Whether {@code client} is currently locked out for too many failures. */
  public boolean lockedOut(String client) {
    Deque<Instant> d = failures.get(client);
    if (d == null) {
      return false;
    }
    synchronized (d) {
      Instant cutoff = clock.instant().minus(FAILED_LOGIN_WINDOW);
      while (!d.isEmpty() && d.peekFirst().isBefore(cutoff)) {
        d.pollFirst();
      }
      return d.size() >= MAX_FAILED_LOGINS_PER_WINDOW;
    }
  }

  public void recordFailure(String client) {
    Deque<Instant> d = failures.computeIfAbsent(client, k -> new ArrayDeque<>());
    synchronized (d) {
      d.addLast(clock.instant());
    }
  }

  public boolean tokenMatches(String token) {
    String h = saltedHash;
    if (token == null || h == null) {
      return false;
    }
    int colon = h.indexOf(':');
    String salt = h.substring(0, colon);
    byte[] expected = h.substring(colon + 1).getBytes(StandardCharsets.US_ASCII);
    byte[] actual = Hashing.sha256Hex(salt + ":" + token).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, actual);
  }

  public boolean isOperatorToken(String token) {
    String op = operatorToken;
    return token != null && op != null
        && MessageDigest.isEqual(op.getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.US_ASCII));
  }

  public WebSession newSession() {
    WebSession s = new WebSession(randomToken(), randomToken(), clock.instant().plus(SESSION_TTL));
    sessions.put(s.id(), s);
    return s;
  }

  public Optional<WebSession> session(String id) {
    if (id == null) {
      return Optional.empty();
    }
    WebSession s = sessions.get(id);
    if (s == null || clock.instant().isAfter(s.expires())) {
      sessions.remove(id);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  public void logout(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  static String randomToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
