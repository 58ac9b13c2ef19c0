package dev.warden.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.kernel.WardenSecurityException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultKeyTest {
  @TempDir Path dir;

  @Test
  void fromFile_missing_createdWithMode600() throws Exception {
    Path f = dir.resolve("k");
    VaultKey.fromFile(f);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    assertThat(Base64.getDecoder().decode(Files.readString(f).trim())).hasSize(32);
  }

  @Test
  void fromFile_readableByGroup_refusedWithChmodHint() throws Exception {
    Path f = dir.resolve("k");
    VaultKey.fromFile(f);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
    assertThatThrownBy(() -> VaultKey.fromFile(f))
        .isInstanceOf(WardenSecurityException.class).hasMessageContaining("chmod 600");
  }

  @Test
  void fromFile_readableByOthers_refused() throws Exception {
    Path f = dir.resolve("k");
    VaultKey.fromFile(f);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw----r--"));
    assertThatThrownBy(() -> VaultKey.fromFile(f)).hasMessageContaining("chmod 600");
  }

  @Test
  void fromFile_symlink_refused() throws Exception {
    Path real = dir.resolve("real");
    VaultKey.fromFile(real);
    Path link = Files.createSymbolicLink(dir.resolve("link"), real);
    assertThatThrownBy(() -> VaultKey.fromFile(link)).hasMessageContaining("symbolic link");
  }

  @Test
  void fromFile_sameKeyOnSecondRead() throws Exception {
    Path f = dir.resolve("k");
    VaultKey a = VaultKey.fromFile(f);
    VaultKey b = VaultKey.fromFile(f);
    assertThat(a.secret().equalsSecret(b.secret())).isTrue();
  }

  @Test
  void resolve_envWinsOverFile() throws Exception {
    String b64 = Base64.getEncoder().encodeToString(new byte[32]);
    VaultKey k = VaultKey.resolve(dir.resolve("never"), Map.of(VaultKey.ENV_VAR, b64));
    assertThat(k.source()).contains(VaultKey.ENV_VAR);
    assertThat(Files.exists(dir.resolve("never"))).isFalse();
  }

  @Test
  void fromBase64_wrongLength_failsWithHowToGenerate() {
    assertThatThrownBy(() -> VaultKey.fromBase64(Base64.getEncoder().encodeToString(new byte[16]), "test"))
        .isInstanceOf(WardenSecurityException.class).hasMessageContaining("16 bytes").hasMessageContaining("/dev/urandom");
  }

  @Test
  void fromBase64_notBase64_fails() {
    assertThatThrownBy(() -> VaultKey.fromBase64("%%%not", "test")).hasMessageContaining("not valid base64");
  }

  @Test
  void toString_redacted() throws Exception {
    assertThat(VaultKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32]), "t").toString()).contains("redacted");
  }
}
