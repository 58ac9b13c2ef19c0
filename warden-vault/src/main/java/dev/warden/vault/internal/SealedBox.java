package dev.warden.vault.internal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a random 96-bit nonce per seal. Layout: {@code MAGIC || nonce || ciphertext+tag};
 * the magic (format name and version) is authenticated as associated data, so a file cannot be
 * reinterpreted as another format version.
 */
public final class SealedBox {
  public static final byte[] MAGIC = {'W', 'D', 'N', 'V', 'A', 'U', 'L', 'T', 1};
  public static final int NONCE_BYTES = 12;
  public static final int TAG_BITS = 128;

  private static final SecureRandom RANDOM = new SecureRandom();

  private SealedBox() {}

  public static byte[] seal(byte[] key, byte[] plaintext) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(MAGIC);
      byte[] ct = c.doFinal(plaintext);
      byte[] out = new byte[MAGIC.length + NONCE_BYTES + ct.length];
      System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
      System.arraycopy(nonce, 0, out, MAGIC.length, NONCE_BYTES);
      System.arraycopy(ct, 0, out, MAGIC.length + NONCE_BYTES, ct.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new dev.warden.kernel.WardenBugException("AES-GCM unavailable in this JDK", e);
    }
  }

  /** The plaintext, or an exception if the key is wrong, the data was modified or it is not a vault file. */
  public static byte[] open(byte[] key, byte[] sealed) throws GeneralSecurityException {
    if (sealed.length < MAGIC.length + NONCE_BYTES + TAG_BITS / 8
        || !Arrays.equals(Arrays.copyOf(sealed, MAGIC.length), MAGIC)) {
      throw new GeneralSecurityException("not a Warden vault file (format marker missing)");
    }
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
        new GCMParameterSpec(TAG_BITS, sealed, MAGIC.length, NONCE_BYTES));
    c.updateAAD(MAGIC);
    return c.doFinal(sealed, MAGIC.length + NONCE_BYTES, sealed.length - MAGIC.length - NONCE_BYTES);
  }
}
