package dev.warden.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretTest {
  @Test
  void toString_redactsValue() {
    assertThat(Secret.ofUtf8("hunter2hunter2").toString()).doesNotContain("hunter2").contains("redacted");
  }

  @Test
  void equalsSecret_comparesValues() {
    assertThat(Secret.ofUtf8("abc").equalsSecret(Secret.ofUtf8("abc"))).isTrue();
    assertThat(Secret.ofUtf8("abc").equalsSecret(Secret.ofUtf8("abd"))).isFalse();
    assertThat(Secret.ofUtf8("abc").equalsSecret(Secret.ofUtf8("abcd"))).isFalse();
  }

  @Test
  void equals_isIdentityNotValue() {
    assertThat(Secret.ofUtf8("abc")).isNotEqualTo(Secret.ofUtf8("abc"));
  }

  @Test
  void bytes_areCopies() {
    byte[] in = {1, 2, 3};
    Secret s = Secret.copyOf(in);
    in[0] = 9;
    byte[] out = s.bytes(InsecureSecretAccess.get());
    out[1] = 9;
    assertThat(s.bytes(InsecureSecretAccess.get())).containsExactly(1, 2, 3);
  }

  @Test
  void empty_rejected() {
    assertThatThrownBy(() -> Secret.ofUtf8("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tooLarge_rejected() {
    assertThatThrownBy(() -> Secret.copyOf(new byte[Secret.MAX_SECRET_BYTES + 1])).hasMessageContaining("file");
  }

  @Test
  void bytes_withoutAccess_rejected() {
    assertThatThrownBy(() -> Secret.ofUtf8("x").bytes(null)).isInstanceOf(NullPointerException.class);
  }
}
