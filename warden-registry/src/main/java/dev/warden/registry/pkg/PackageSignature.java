package dev.warden.registry.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.registry.pkg.PackageException.Reason;
import dev.warden.registry.pkg.internal.CanonicalJson;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * The detached signature over a manifest's canonical bytes, with the key that made it. Carrying the
 * public key lets a verifier pin it on first use; it is never trusted because it is carried: the
 * trust store decides.
 */
public record PackageSignature(PublisherKey key, byte[] signature) {
  public static final String ALGORITHM = "Ed25519";

  public PackageSignature {
    Objects.requireNonNull(key, "key");
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  public static PackageSignature sign(byte[] manifestBytes, PublisherKeyPair pair) {
    return new PackageSignature(pair.publicKey(), pair.sign(manifestBytes));
  }

  public boolean verifies(byte[] manifestBytes) {
    return Signatures.verify(key.publicKey(), manifestBytes, signature);
  }

  public byte[] toJson() {
    return CanonicalJson.write(Map.of(
        "algorithm", ALGORITHM,
        "keyId", key.keyId(),
        "publisher", key.publisher(),
        "publicKey", key.publicKeyPem(),
        "signature", Base64.getEncoder().encodeToString(signature)));
  }

  public static PackageSignature parse(byte[] json) throws PackageException {
    if (json.length > PackageLimits.MAX_SIGNATURE_BYTES) {
      throw new PackageException(Reason.TOO_LARGE, "signature document is " + json.length + " bytes, over " + PackageLimits.MAX_SIGNATURE_BYTES);
    }
    try {
      JsonNode n = CanonicalJson.read(json);
      if (!ALGORITHM.equals(n.path("algorithm").asText())) {
        throw new IOException("algorithm must be " + ALGORITHM + ", got '" + n.path("algorithm").asText() + "'");
      }
      PublisherKey key = PublisherKey.of(n.path("publisher").asText(), PublisherKey.parsePublicKeyPem(n.path("publicKey").asText()));
      if (!key.keyId().equals(n.path("keyId").asText())) {
        throw new IOException("keyId " + n.path("keyId").asText() + " is not the fingerprint of the enclosed key (" + key.keyId() + ")");
      }
      return new PackageSignature(key, Base64.getDecoder().decode(n.path("signature").asText()));
    } catch (IOException | IllegalArgumentException e) {
      throw new PackageException(Reason.BAD_SIGNATURE, "signature document is malformed: " + e.getMessage(), e);
    }
  }
}
