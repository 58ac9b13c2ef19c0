package dev.warden.registry.pkg;

import dev.warden.kernel.Hashing;
import dev.warden.registry.pkg.internal.Pem;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A publisher's Ed25519 public key and the name it publishes under.
 *
 * <p>The key id is the fingerprint {@code SHA256(SubjectPublicKeyInfo DER)} in lower-case hex (64
 * characters): it names exactly one key, so trust decisions, signatures, manifests and the
 * transparency log all refer to keys by it. {@link #fingerprint()} is the same value in the form
 * people compare ({@code SHA256:ab12…}).
 */
public record PublisherKey(String publisher, String keyId, PublicKey publicKey) {
  /** Publisher names: lower-case, digits, {@code - _ .}; 1–64 characters. */
  public static final Pattern PUBLISHER_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  public PublisherKey {
    requirePublisherName(publisher);
    Objects.requireNonNull(publicKey, "publicKey");
    if (!(publicKey instanceof EdECPublicKey ed) || !NamedParameterSpec.ED25519.getName().equalsIgnoreCase(ed.getParams().getName())) {
      throw new IllegalArgumentException("publisher keys are Ed25519, got " + publicKey.getAlgorithm()
          + (publicKey instanceof EdECPublicKey ed ? " " + ed.getParams().getName() : ""));
    }
    String expected = keyIdOf(publicKey);
    if (!expected.equals(keyId)) {
      throw new IllegalArgumentException("key id " + keyId + " is not the fingerprint of the key (" + expected + ")");
    }
  }

  public static PublisherKey of(String publisher, PublicKey publicKey) {
    return new PublisherKey(publisher, keyIdOf(publicKey), publicKey);
  }

  public static String keyIdOf(PublicKey publicKey) {
    return Hashing.sha256Hex(publicKey.getEncoded());
  }

  public static void requirePublisherName(String publisher) {
    Objects.requireNonNull(publisher, "publisher");
    if (!PUBLISHER_NAME.matcher(publisher).matches()) {
      throw new IllegalArgumentException(
          "publisher name '" + publisher + "' must match " + PUBLISHER_NAME.pattern());
    }
  }

  /** {@code SHA256:} plus the key id, for messages that people compare by eye. */
  public String fingerprint() {
    return "SHA256:" + keyId;
  }

  public String publicKeyPem() {
    return Pem.encode("PUBLIC KEY", publicKey.getEncoded());
  }

  public static PublicKey parsePublicKeyPem(String pem) throws PackageException {
    try {
      byte[] der = Pem.decode("PUBLIC KEY", pem);
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (IOException | GeneralSecurityException e) {
      throw new PackageException(PackageException.Reason.MALFORMED,
          "not an Ed25519 public key in PEM form (" + e.getMessage() + "); expected '-----BEGIN PUBLIC KEY-----'", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublisherKey k && k.publisher.equals(publisher) && k.keyId.equals(keyId)
        && Arrays.equals(k.publicKey.getEncoded(), publicKey.getEncoded());
  }

  @Override
  public int hashCode() {
    return Objects.hash(publisher, keyId);
  }

  @Override
  public String toString() {
    return "PublisherKey[" + publisher + " " + fingerprint() + "]";
  }
}
