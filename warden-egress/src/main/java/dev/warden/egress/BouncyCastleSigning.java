package dev.warden.egress;

import dev.warden.kernel.AgentKey;
import java.util.Arrays;
import java.util.function.Function;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * BouncyCastle's Ed25519 as the agent key's signing engine (see {@link AgentKey.SigningEngine}):
 * about 17× faster than the JDK's here, which matters because the audit log signs its head on
 * every append. Lives in this module because it already depends on BouncyCastle (the proxy's CA).
 */
public final class BouncyCastleSigning implements AgentKey.SigningEngine {

  /** Length of the raw Ed25519 seed at the end of a PKCS#8 encoding without the public key. */
  private static final int SEED_BYTES = 32;

  @Override
  public Function<byte[], byte[]> signerFor(byte[] pkcs8PrivateKey) {
    byte[] seed = Arrays.copyOfRange(pkcs8PrivateKey, pkcs8PrivateKey.length - SEED_BYTES, pkcs8PrivateKey.length);
    Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(seed, 0);
    return message -> {
      Ed25519Signer s = new Ed25519Signer();
      s.init(true, key);
      s.update(message, 0, message.length);
      return s.generateSignature();
    };
  }

  /** Installs this engine for every agent key in the process. */
  public static void install() {
    AgentKey.useSigningEngine(new BouncyCastleSigning());
  }
}
