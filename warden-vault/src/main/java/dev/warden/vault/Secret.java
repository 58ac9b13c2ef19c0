package dev.warden.vault;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A secret value (API key, token, password) held in memory.
 *
 * <p>Guarantees: {@link #toString()} never shows the value; the value is copied in and copied out,
 * so no caller can change it; the bytes are given only to a caller holding a {@link SecretAccess}.
 *
 * <p><b>Warning:</b> {@code equals} and {@code hashCode} are identity-based on purpose (a hash of a
 * secret is an oracle for it, and ordinary {@code equals} leaks timing). Compare two secrets with
 * {@link #equalsSecret}, which runs in time independent of where they differ.
 */
public final class Secret {
  /** Upper bound on one secret's size; larger values are almost certainly a mistake (a file). */
  public static final int MAX_SECRET_BYTES = 16 * 1024;

  private final byte[] value;

  private Secret(byte[] value) {
    if (value.length == 0) {
      throw new IllegalArgumentException("a secret must not be empty");
    }
    if (value.length > MAX_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "a secret may hold at most " + MAX_SECRET_BYTES + " bytes, got " + value.length
              + "; store a key or token, not a file");
    }
    this.value = value;
  }

  /** Wraps a copy of {@code bytes}. Creating a secret reveals nothing, so it needs no token. */
  public static Secret copyOf(byte[] bytes) {
    return new Secret(Objects.requireNonNull(bytes, "bytes").clone());
  }

  /** Wraps the UTF-8 bytes of {@code text}. */
  public static Secret ofUtf8(String text) {
    return new Secret(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
  }

  /** A copy of the value. */
  public byte[] bytes(SecretAccess access) {
    Objects.requireNonNull(access, "access");
    return value.clone();
  }

  /** The value decoded as UTF-8. */
  public String utf8(SecretAccess access) {
    Objects.requireNonNull(access, "access");
    return new String(value, StandardCharsets.UTF_8);
  }

  /** Length in bytes (not secret: it is visible on the wire anyway). */
  public int length() {
    return value.length;
  }

  /** Constant-time comparison of the two values. */
  public boolean equalsSecret(Secret other) {
    return MessageDigest.isEqual(value, other.value);
  }

  /** Overwrites the in-memory copy; the secret is unusable afterwards. */
  void destroy() {
    Arrays.fill(value, (byte) 0);
  }

  @Override
  public String toString() {
    return "Secret[" + value.length + " bytes, redacted]";
  }
}
