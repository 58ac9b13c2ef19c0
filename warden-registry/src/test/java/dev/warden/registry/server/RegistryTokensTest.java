package dev.warden.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTokensTest {
  @TempDir Path tmp;

  @Test
  void issue_authenticatesOnlyThatTokenForThatAccount() throws Exception {
    RegistryTokens t = RegistryTokens.open(tmp, InstantSource.system());
    String a = t.issue("alice");
    String b = t.issue("bob");
    assertThat(a).isNotEqualTo(b).startsWith("wrt_").hasSize(4 + 43);
    assertThat(t.authenticate("Bearer " + a)).contains("alice");
    assertThat(t.authenticate("Bearer " + b)).contains("bob");
    assertThat(t.authenticate(a)).as("without the Bearer scheme").isEmpty();
    assertThat(t.authenticate("Bearer " + a.substring(0, a.length() - 1))).isEmpty();
    assertThat(t.authenticate(null)).isEmpty();
    assertThat(t.authenticate("Bearer " + "x".repeat(RegistryTokens.MAX_TOKEN_CHARS))).isEmpty();
  }

  @Test
  void file_holdsOnlyHashesAndIsOwnerOnly() throws Exception {
    RegistryTokens t = RegistryTokens.open(tmp, InstantSource.system());
    String a = t.issue("alice");
    Path f = tmp.resolve(RegistryTokens.FILE_NAME);
    assertThat(Files.readString(f)).doesNotContain(a);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
  }

  @Test
  void tokenIssuedByAnotherInstance_seenWithoutRestart() throws Exception {
    RegistryTokens server = RegistryTokens.open(tmp, InstantSource.system());
    assertThat(server.authenticate("Bearer wrt_x")).isEmpty();
    Thread.sleep(20);
    String a = RegistryTokens.open(tmp, InstantSource.system()).issue("alice");
    assertThat(server.authenticate("Bearer " + a)).contains("alice");
  }

  @Test
  void revokeAll_removesAccountsTokens() throws Exception {
    RegistryTokens t = RegistryTokens.open(tmp, InstantSource.system());
    String a = t.issue("alice");
    String b = t.issue("bob");
    assertThat(t.revokeAll("alice")).isEqualTo(1);
    assertThat(t.authenticate("Bearer " + a)).isEmpty();
    assertThat(t.authenticate("Bearer " + b)).contains("bob");
  }

  @Test
  void issue_badAccountName_refused() throws Exception {
    RegistryTokens t = RegistryTokens.open(tmp, InstantSource.system());
    assertThatThrownBy(() -> t.issue("Alice Smith")).isInstanceOf(IllegalArgumentException.class);
  }
}
