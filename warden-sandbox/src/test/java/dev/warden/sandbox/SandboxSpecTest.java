package dev.warden.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SandboxSpecTest {

  private static final Path WS = Path.of("/var/lib/warden/ws");

  @Test
  void builder_defaults_areDenyByDefault() {
    SandboxSpec s = SandboxSpec.builder(WS, "true").build();
    assertThat(s.network()).isEqualTo(NetworkAccess.NONE);
    assertThat(s.limits()).isEqualTo(Limits.DEFAULT);
    assertThat(s.extraEnv()).isEmpty();
    assertThat(s.readOnlyBinds()).isEmpty();
    assertThat(s.caBundleOrNull()).isNull();
    assertThat(s.workingDirectory()).isEmpty();
  }

  @Test
  void emptyArgv_fails() {
    assertThatThrownBy(() -> SandboxSpec.builder(WS, List.of()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("argv");
  }

  @Test
  void nulInArgument_fails() {
    assertThatThrownBy(() -> SandboxSpec.builder(WS, "echo", "a\0b").build())
        .hasMessageContaining("NUL");
  }

  @Test
  void relativeWorkspace_fails() {
    assertThatThrownBy(() -> SandboxSpec.builder(Path.of("ws"), "true").build())
        .hasMessageContaining("absolute");
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "../x", "a/../../x", "/etc"})
  void workingDirectoryOutsideWorkspace_fails(String wd) {
    assertThatThrownBy(() -> SandboxSpec.builder(WS, "true").workingDirectory(wd).build())
        .hasMessageContaining("inside the workspace");
  }

  @Test
  void workingDirectory_isNormalised() {
    assertThat(SandboxSpec.builder(WS, "true").workingDirectory("a/./b/../c").build().workingDirectory())
        .isEqualTo("a/c");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PATH", "HOME", "HTTP_PROXY", "https_proxy", "NO_PROXY", "SSL_CERT_FILE", "TZ"})
  void managedVariable_cannotBeOverridden(String name) {
    assertThatThrownBy(() -> SandboxSpec.builder(WS, "true").env(name, "x").build())
        .hasMessageContaining("managed by the sandbox");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1ABC", "A-B", "A=B", "A B"})
  void badVariableName_fails(String name) {
    assertThatThrownBy(() -> SandboxSpec.builder(WS, "true").env(name, "x").build())
        .hasMessageContaining("not an environment variable name");
  }

  @Test
  void tooManyVariables_fails() {
    SandboxSpec.Builder b = SandboxSpec.builder(WS, "true");
    for (int i = 0; i <= SandboxSpec.MAX_EXTRA_ENV_VARS; i++) {
      b.env("V" + i, "x");
    }
    assertThatThrownBy(b::build).hasMessageContaining("at most " + SandboxSpec.MAX_EXTRA_ENV_VARS);
  }

  @Test
  void hugeArgv_fails() {
    String big = "x".repeat(SandboxSpec.MAX_ARGV_AND_ENV_BYTES);
    assertThatThrownBy(() -> SandboxSpec.builder(WS, "echo", big).build())
        .hasMessageContaining("through a file in the workspace");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/proc", "/proc/x", "/usr/share/x", "/etc", "/workspace", "/workspace/s", "/tmp/s",
      "/run", "/run/warden/x", "relative"})
  void bindOnReservedOrRelativePath_fails(String sandboxPath) {
    assertThatThrownBy(() -> SandboxSpec.builder(WS, "true").readOnlyBind(Path.of("/srv/skill"), sandboxPath).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void overlappingBinds_fail() {
    assertThatThrownBy(() -> SandboxSpec.builder(WS, "true")
            .readOnlyBind(Path.of("/srv/a"), "/skills")
            .readOnlyBind(Path.of("/srv/b"), "/skills/b")
            .build())
        .hasMessageContaining("overlap");
  }

  @Test
  void bindUnderSkills_isFine() {
    SandboxSpec s = SandboxSpec.builder(WS, "true").readOnlyBind(Path.of("/srv/a/"), "/skills/a/").build();
    assertThat(s.readOnlyBinds().getFirst().sandboxPath()).isEqualTo("/skills/a");
  }

  @Test
  void relativeProxySocket_fails() {
    assertThatThrownBy(() -> NetworkAccess.proxy(Path.of("proxy.sock")))
        .hasMessageContaining("absolute");
  }

  @Test
  void toBuilder_roundTrips() {
    SandboxSpec s = SandboxSpec.builder(WS, "a", "b").env("K", "v").workingDirectory("d")
        .network(NetworkAccess.proxy(Path.of("/run/p.sock"))).caBundle(Path.of("/etc/ca.pem")).build();
    assertThat(s.toBuilder().build()).isEqualTo(s);
  }

  @Test
  void values_areImmutable() {
    SandboxSpec s = SandboxSpec.builder(WS, "a").env("K", "v").build();
    assertThatThrownBy(() -> s.argv().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.extraEnv().put("X", "y")).isInstanceOf(UnsupportedOperationException.class);
  }
}
