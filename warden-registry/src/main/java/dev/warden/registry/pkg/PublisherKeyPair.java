package dev.warden.registry.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.kernel.WardenBugException;
import dev.warden.registry.pkg.internal.AtomicFiles;
import dev.warden.registry.pkg.internal.CanonicalJson;
import dev.warden.registry.pkg.internal.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Map;
import java.util.Objects;

/**
 * A publisher's signing key pair.
 *
 * <p>On disk, in one directory: {@code <publisher>.key.pem} (PKCS#8 private key, mode 0600) and
 * {@code <publisher>.pub.json} ({@code {"keyId","publicKey","publisher"}}, the file others import
 * into their trust store). {@link #toString()} never shows the private key.
 */
public record PublisherKeyPair(PublisherKey publicKey, PrivateKey privateKey) {
  public PublisherKeyPair {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  public static PublisherKeyPair generate(String publisher) {
    try {
      KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return new PublisherKeyPair(PublisherKey.of(publisher, kp.getPublic()), kp.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new WardenBugException("Ed25519 missing from the JDK", e);
    }
  }

  public String publisher() {
    return publicKey.publisher();
  }

  public String keyId() {
    return publicKey.keyId();
  }

  /** Ed25519 signature over {@code message}. */
  public byte[] sign(byte[] message) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new WardenBugException("Ed25519 signing failed", e);
    }
  }

  public static Path privateKeyFile(Path dir, String publisher) {
    return dir.resolve(publisher + ".key.pem");
  }

  public static Path publicKeyFile(Path dir, String publisher) {
    return dir.resolve(publisher + ".pub.json");
  }

  /** Writes both files atomically; the private key file is readable by the owner only. */
  public void save(Path dir) throws IOException {
    AtomicFiles.write(privateKeyFile(dir, publisher()),
        Pem.encode("PRIVATE KEY", privateKey.getEncoded()).getBytes(StandardCharsets.US_ASCII),
        PosixFilePermissions.fromString("rw-------"));
    AtomicFiles.write(publicKeyFile(dir, publisher()), publicKeyJson(publicKey));
  }

  public static byte[] publicKeyJson(PublisherKey key) {
    return CanonicalJson.write(Map.of(
        "publisher", key.publisher(), "keyId", key.keyId(), "publicKey", key.publicKeyPem()));
  }

  /** Reads a {@code .pub.json} file and checks that its key id is the key's fingerprint. */
  public static PublisherKey readPublicKey(Path pubJson) throws PackageException {
    try {
      JsonNode n = CanonicalJson.read(Files.readAllBytes(pubJson));
      String publisher = n.path("publisher").asText();
      String keyId = n.path("keyId").asText();
      PublisherKey key = PublisherKey.of(publisher, PublisherKey.parsePublicKeyPem(n.path("publicKey").asText()));
      if (!key.keyId().equals(keyId)) {
        throw new PackageException(PackageException.Reason.MALFORMED,
            pubJson + " says key id " + keyId + " but the key's fingerprint is " + key.keyId()
                + "; the file was edited or corrupted, ask the publisher for it again");
      }
      return key;
    } catch (IOException | IllegalArgumentException e) {
      throw new PackageException(PackageException.Reason.MALFORMED,
          "cannot read publisher key file " + pubJson + ": " + e.getMessage(), e);
    }
  }

  /** Loads a pair saved by {@link #save} and checks that the two halves belong together. */
  public static PublisherKeyPair load(Path dir, String publisher) throws PackageException {
    PublisherKey pub = readPublicKey(publicKeyFile(dir, publisher));
    Path privFile = privateKeyFile(dir, publisher);
    PrivateKey priv;
    try {
      byte[] der = Pem.decode("PRIVATE KEY", Files.readString(privFile, StandardCharsets.US_ASCII));
      priv = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IOException | GeneralSecurityException e) {
      throw new PackageException(PackageException.Reason.MALFORMED,
          "cannot read private key " + privFile + ": " + e.getMessage(), e);
    }
    PublisherKeyPair pair = new PublisherKeyPair(pub, priv);
    byte[] probe = "warden key pair check".getBytes(StandardCharsets.US_ASCII);
    if (!Signatures.verify(pub.publicKey(), probe, pair.sign(probe))) {
      throw new PackageException(PackageException.Reason.MALFORMED,
          privFile + " does not match " + publicKeyFile(dir, publisher)
              + "; regenerate the pair or restore the matching files");
    }
    return pair;
  }

  @Override
  public String toString() {
    return "PublisherKeyPair[" + publicKey + ", private key redacted]";
  }
}
