package dev.warden.kernel;

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
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The agent's own Ed25519 key: signs audit checkpoints, the audit head, snapshot manifests.
 * Generated at first start and kept in {@code WARDEN_HOME/keys/} with mode 0600.
 *
 * <p>Threat note: anyone who can read WARDEN_HOME can sign with this key. Signatures prove the log
 * was not rewritten by someone <em>without</em> the home directory; exported checkpoints (monitor)
 * cover the stronger case.
 */
public final class AgentKey {
  public static final String PRIVATE_FILE = "agent-ed25519.key";
  public static final String PUBLIC_FILE = "agent-ed25519.pub";

  private final PrivateKey privateKeyOrNull;
  private final PublicKey publicKey;
  private volatile java.util.function.Function<byte[], byte[]> fastSignerOrNull;

  /**
   * A faster Ed25519 implementation for signing, installed by the composition root. The JDK's
   * Ed25519 takes about 600 µs per signature on this machine kind, and the audit log signs its head
   * on every append; BouncyCastle's takes about 35 µs. Signatures are standard Ed25519 either way
   * (verification always uses the JDK), and the kernel keeps depending on nothing but the JDK.
   */
  @FunctionalInterface
  public interface SigningEngine {
    /** A signer for the key whose PKCS#8 encoding is given. */
    java.util.function.Function<byte[], byte[]> signerFor(byte[] pkcs8PrivateKey);
  }

  private static volatile SigningEngine engine;

  public static void useSigningEngine(SigningEngine e) {
    engine = e;
  }

  private AgentKey(PrivateKey privateKeyOrNull, PublicKey publicKey) {
    this.privateKeyOrNull = privateKeyOrNull;
    this.publicKey = publicKey;
  }

  public static AgentKey generate() {
    try {
      KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return new AgentKey(kp.getPrivate(), kp.getPublic());
    } catch (GeneralSecurityException e) {
      throw new WardenBugException("Ed25519 missing from the JDK", e);
    }
  }

  /** Loads the key from {@code keysDir}, creating it (0600) on first start. */
  public static AgentKey loadOrCreate(Path keysDir) throws IOException {
    Path priv = keysDir.resolve(PRIVATE_FILE);
    Path pub = keysDir.resolve(PUBLIC_FILE);
    if (Files.exists(priv)) {
      try {
        byte[] p = Base64.getMimeDecoder().decode(Files.readString(priv, StandardCharsets.US_ASCII).strip());
        byte[] q = Base64.getMimeDecoder().decode(Files.readString(pub, StandardCharsets.US_ASCII).strip());
        KeyFactory kf = KeyFactory.getInstance("Ed25519");
        return new AgentKey(kf.generatePrivate(new PKCS8EncodedKeySpec(p)), kf.generatePublic(new X509EncodedKeySpec(q)));
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new IOException("agent key in " + keysDir + " is unreadable (" + e.getMessage()
            + "); restore it from a backup — a new key would not verify the existing audit log", e);
      }
    }
    Files.createDirectories(keysDir);
    AgentKey k = generate();
    AtomicFiles.writeString(priv, Base64.getEncoder().encodeToString(k.privateKeyOrNull.getEncoded()) + "\n",
        PosixFilePermissions.fromString("rw-------"));
    AtomicFiles.writeString(pub, Base64.getEncoder().encodeToString(k.publicKey.getEncoded()) + "\n",
        PosixFilePermissions.fromString("rw-r--r--"));
    return k;
  }

  /** Loads only the public key (for verification by someone who must not sign). */
  public static PublicKey loadPublic(Path keysDir) throws IOException {
    try {
      byte[] q = Base64.getMimeDecoder().decode(Files.readString(keysDir.resolve(PUBLIC_FILE), StandardCharsets.US_ASCII).strip());
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(q));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException("agent public key in " + keysDir + " is unreadable: " + e.getMessage(), e);
    }
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** First 16 hex digits of SHA-256 over the encoded public key. */
  public String keyId() {
    return keyId(publicKey);
  }

  public static String keyId(PublicKey key) {
    return Hashing.sha256Hex(key.getEncoded()).substring(0, 16);
  }

  public byte[] sign(byte[] message) {
    if (privateKeyOrNull == null) {
      throw new WardenBugException("this AgentKey holds only a public key");
    }
    SigningEngine fast = engine;
    if (fast != null) {
      java.util.function.Function<byte[], byte[]> f = fastSignerOrNull;
      if (f == null) {
        f = fast.signerFor(privateKeyOrNull.getEncoded());
        fastSignerOrNull = f;
      }
      return f.apply(message);
    }
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKeyOrNull);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new WardenBugException("Ed25519 signing failed", e);
    }
  }

  public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
