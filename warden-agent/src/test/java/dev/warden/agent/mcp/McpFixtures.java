package dev.warden.agent.mcp;

import dev.warden.agent.mcp.testserver.TestMcpServer;
import dev.warden.agent.exec.ToolCallRouter;
import dev.warden.agent.tools.ToolRegistry;
import dev.warden.kernel.AgentKey;
import dev.warden.kernel.ApprovalStore;
import dev.warden.kernel.GrantStore;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.Normalizer;
import dev.warden.kernel.audit.AuditLog;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.kernel.audit.InMemoryAuditStore;
import dev.warden.policy.CedarPolicy;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Shared set-up: a real kernel (default Cedar policy, in-memory audit log) and the test MCP server's command line. */
final class McpFixtures {
  private McpFixtures() {}

  static final class World implements AutoCloseable {
    final InMemoryAuditStore audit = new InMemoryAuditStore();
    final Kernel kernel;
    final ToolRegistry tools = new ToolRegistry(List.of());
    final ToolCallRouter router = new ToolCallRouter();
    final McpRegistry registry;
    final McpClientManager manager;
    final Path flagDir;

    World(Path home, McpSandboxMode mode) throws Exception {
      this(home, mode, null);
    }

    World(Path home, McpSandboxMode mode, McpHttpAccess httpOrNull) throws Exception {
      AuditLog log = new AuditLog(audit, AgentKey.generate(), InstantSource.system(), null);
      kernel = new Kernel(CedarPolicy.loadDefaults(), Normalizer.IDENTITY, log, new ApprovalStore.InMemory(),
          new GrantStore.InMemory(), InstantSource.system(), Duration.ofMinutes(5));
      router.registerWith(kernel);
      registry = new McpRegistry(home.resolve("mcp.json"), InstantSource.system());
      manager = new McpClientManager(registry, kernel, tools,
          McpClientManager.Options.defaults(home.resolve("run/mcp")).withSandbox(mode).withRefreshInterval(Duration.ZERO)
              .withCallTimeout(Duration.ofSeconds(20)).withHttp(httpOrNull));
      manager.routeWith(router);
      flagDir = Files.createDirectories(home.resolve("flags"));
      // The sandbox runs as uid 65534 on the host too (when the tests run as root): it must be able
      // to reach the flag directory.
      Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(flagDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The test server as a stdio config (the JVM and the test classpath bound read-only into the sandbox). */
    McpServerConfig testServer(String name) {
      return new McpServerConfig(name, stdio(flagDir.resolve("rugpull")));
    }

    void rugPull(String newDescription) throws Exception {
      Files.writeString(flagDir.resolve("rugpull"), newDescription);
    }

    List<AuditRecord> events(String name) {
      List<AuditRecord> out = new ArrayList<>();
      audit.forEach(r -> {
        if (r.type().equals(AuditRecord.Type.EVENT) && "mcp".equals(r.field("category")) && name.equals(r.field("name"))) {
          out.add(r);
        }
      });
      return out;
    }

    @Override
    public void close() {
      manager.close();
    }
  }

  private static String readableClassPath;

  /**
   * The test class path, copied once into a world-readable directory: the sandboxed server runs as
   * uid 65534 and cannot read the local Maven repository under /root.
   */
  static synchronized String readableClassPath() throws java.io.IOException {
    if (readableClassPath != null) {
      return readableClassPath;
    }
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path dir = Files.createTempDirectory("warden-mcp-cp");
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (java.io.IOException ignored) {
        // a temp directory left behind is harmless
      }
    }));
    List<String> out = new ArrayList<>();
    int i = 0;
    for (String entry : cp.split(File.pathSeparator)) {
      Path src = Path.of(entry);
      if (entry.isBlank() || !Files.exists(src)) {
        continue;
      }
      Path dst = dir.resolve((i++) + "-" + src.getFileName());
      if (Files.isDirectory(src)) {
        try (var walk = Files.walk(src)) {
          for (Path f : (Iterable<Path>) walk::iterator) {
            Path t = dst.resolve(src.relativize(f).toString());
            if (Files.isDirectory(f)) {
              Files.createDirectories(t);
              Files.setPosixFilePermissions(t, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            } else {
              Files.copy(f, t);
              Files.setPosixFilePermissions(t, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
          }
        }
      } else {
        Files.copy(src, dst);
        Files.setPosixFilePermissions(dst, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      }
      out.add(dst.toString());
    }
    readableClassPath = String.join(File.pathSeparator, out);
    return readableClassPath;
  }

  static McpServerConfig.Stdio stdio(Path flag) {
    String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    String cp;
    try {
      cp = readableClassPath();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Set<String> binds = new LinkedHashSet<>();
    for (String entry : cp.split(File.pathSeparator)) {
      if (!entry.isBlank() && Files.exists(Path.of(entry)) && !entry.startsWith("/usr/")) {
        binds.add(Path.of(entry).toAbsolutePath().normalize().toString());
      }
    }
    binds.add(flag.getParent().toString());
    return new McpServerConfig.Stdio(java, List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", cp,
        TestMcpServer.class.getName(), flag.toString()), Map.of("TEST_SERVER_ENV", "visible"), List.copyOf(binds));
  }
}
