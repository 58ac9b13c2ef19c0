package dev.warden.agent.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.agent.mcp.McpSandboxMode;
import dev.warden.agent.mcp.McpServerConfig;
import io.modelcontextprotocol.client.transport.ServerParameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StdioLaunchTest {
  static final McpServerConfig.Stdio SERVER = new McpServerConfig.Stdio("/usr/bin/node", List.of("server.js"),
      Map.of("LOG_LEVEL", "info"), List.of("/opt/mcp/files"));

  @Test
  void sandboxed_isBwrapWithNoNetworkUnprivilegedUidAndOnlyDeclaredPaths() {
    ServerParameters p = StdioLaunch.parameters(SERVER, McpSandboxMode.BWRAP, "files-123", "/unused");

    String args = String.join(" ", p.getArgs());
    if (StdioLaunch.RUNNING_AS_ROOT) {
      assertThat(p.getCommand()).isEqualTo("/usr/bin/setpriv");
      assertThat(args).startsWith("--reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs /usr/bin/bwrap ");
    } else {
      assertThat(p.getCommand()).isEqualTo("/usr/bin/bwrap");
    }
    assertThat(args).contains("--unshare-all", "--die-with-parent", "--new-session", "--uid 65534", "--ro-bind /opt/mcp/files /opt/mcp/files",
        "--tmpfs /tmp", "--setenv WARDEN_MCP_INSTANCE files-123");
    assertThat(args).doesNotContain("--ro-bind /etc /etc").doesNotContain("--bind ").doesNotContain("--share-net");
    assertThat(p.getArgs().subList(p.getArgs().indexOf("--"), p.getArgs().size())).containsExactly("--", "/usr/bin/node", "server.js");
    assertThat(args).contains("--clearenv --setenv LANG C.UTF-8 --setenv PATH /usr/bin:/bin --setenv HOME /tmp --setenv LOG_LEVEL info");
    assertThat(StdioLaunch.environment(SERVER, McpSandboxMode.BWRAP, "/unused")).containsOnlyKeys("LANG", "PATH", "HOME", "LOG_LEVEL");
  }

  @Test
  void host_runsCommandDirectly_withCleanEnvironment() {
    ServerParameters p = StdioLaunch.parameters(SERVER, McpSandboxMode.UNSAFE_HOST, "files-123", "/home/w/run/mcp/files");

    assertThat(p.getCommand()).isEqualTo("/usr/bin/env");
    assertThat(p.getArgs()).containsExactly("-i", "LANG=C.UTF-8", "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/home/w/run/mcp/files",
        "LOG_LEVEL=info", "WARDEN_MCP_INSTANCE=files-123", "/usr/bin/node", "server.js");
  }

  @Test
  void asRoot_pathUnderPrivateDirectory_isReportedUnreachable(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path priv = java.nio.file.Files.createDirectories(dir.resolve("private"));
    java.nio.file.Files.setPosixFilePermissions(priv, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    java.nio.file.Path jar = java.nio.file.Files.writeString(priv.resolve("server.jar"), "x");

    String why = StdioLaunch.unreachableBySandboxUserOrNull(jar.toString());

    if (StdioLaunch.RUNNING_AS_ROOT) {
      assertThat(why).contains("not searchable by others");
    } else {
      assertThat(why).isNull();
    }
  }
}
