package dev.warden.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.kernel.AgentKey;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BouncyCastleSigningTest {
  @AfterEach
  void reset() {
    AgentKey.useSigningEngine(null);
  }

  @Test
  void signatures_verifyWithTheJdk_andEqualTheJdksOwn() {
    AgentKey k = AgentKey.generate();
    byte[] msg = "warden-audit-head\n42\nabc\n".getBytes(StandardCharsets.UTF_8);
    byte[] jdk = k.sign(msg);
    BouncyCastleSigning.install();
    byte[] bc = k.sign(msg);
    assertThat(AgentKey.verify(k.publicKey(), msg, bc)).isTrue();
    // Ed25519 is deterministic: both implementations give the same signature.
    assertThat(bc).isEqualTo(jdk);
    assertThat(AgentKey.verify(k.publicKey(), "tampered".getBytes(StandardCharsets.UTF_8), bc)).isFalse();
  }
}
