package dev.warden.agent.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class McpServerConfigTest {
  static final McpServerConfig.Stdio STDIO = new McpServerConfig.Stdio("/usr/bin/true", List.of());

  @ParameterizedTest
  @ValueSource(strings = {"", "Upper", "with_underscore", "-dash", "a/b", "a-very-long-server-name-over-24"})
  void badName_fails(String name) {
    assertThatThrownBy(() -> new McpServerConfig(name, STDIO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[a-z0-9-]");
  }

  @Test
  void goodName_accepted() {
    assertThat(new McpServerConfig("github-2", STDIO).name()).isEqualTo("github-2");
  }

  @Test
  void stdio_relativeOrDotDotReadOnlyPath_fails() {
    assertThatThrownBy(() -> new McpServerConfig.Stdio("x", List.of(), Map.of(), List.of("relative/dir")))
        .hasMessageContaining("absolute");
    assertThatThrownBy(() -> new McpServerConfig.Stdio("x", List.of(), Map.of(), List.of("/opt/../etc")))
        .hasMessageContaining("normalised");
  }

  @Test
  void stdio_badEnvName_fails() {
    assertThatThrownBy(() -> new McpServerConfig.Stdio("x", List.of(), Map.of("A=B", "c"), List.of()))
        .hasMessageContaining("environment variable name");
  }

  @Test
  void http_credentialsInUrl_orNonHttpScheme_fail() {
    assertThatThrownBy(() -> new McpServerConfig.Http(URI.create("https://user:pw@mcp.example.org/mcp")))
        .hasMessageContaining("no credentials");
    assertThatThrownBy(() -> new McpServerConfig.Http(URI.create("file:///etc/passwd"))).hasMessageContaining("http(s)");
  }
}
