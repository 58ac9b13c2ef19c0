package dev.warden.registry.pkg;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/** Ed25519 verification that answers false, rather than throwing, on any malformed input. */
public final class Signatures {
  /** Length of an Ed25519 signature, in bytes. */
  public static final int ED25519_SIGNATURE_BYTES = 64;

  private Signatures() {}

  public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    if (signature == null || signature.length != ED25519_SIGNATURE_BYTES) {
      return false;
    }
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
