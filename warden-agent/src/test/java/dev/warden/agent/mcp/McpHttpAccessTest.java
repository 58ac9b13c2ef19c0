package dev.warden.agent.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.agent.mcp.testserver.TestHttpMcpServer;
import dev.warden.egress.CertificateAuthority;
import dev.warden.egress.DestinationGuard;
import dev.warden.egress.EgressProxy;
import dev.warden.egress.Resolver;
import dev.warden.kernel.Action;
import dev.warden.kernel.Decision;
import dev.warden.kernel.Label;
import dev.warden.kernel.SessionContext;
import dev.warden.kernel.Submission;
import dev.warden.vault.HostPattern;
import dev.warden.vault.Vault;
import dev.warden.vault.VaultKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An HTTP MCP server reached only through Warden's real egress proxy. */
class McpHttpAccessTest {
  @TempDir Path home;
  McpFixtures.World world;
  TestHttpMcpServer server;
  EgressProxy proxy;
  final List<Action.Egress> authorized = new CopyOnWriteArrayList<>();
  final AtomicBoolean deny = new AtomicBoolean();

  @AfterEach
  void tearDown() {
    if (world != null) {
      world.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (server != null) {
      server.close();
    }
  }

  void setUp() throws Exception {
    server = new TestHttpMcpServer();
    Resolver resolver = host -> {
      if (host.equals("mcp.test")) {
        return List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
      }
      throw new UnknownHostException(host);
    };
    Path vdir = home.resolve("vault");
    Vault vault = Vault.open(vdir, VaultKey.fromFile(vdir.resolve("k")));
    proxy = EgressProxy.builder(CertificateAuthority.loadOrCreate(home.resolve("ca")), vault)
        .guard(new DestinationGuard(resolver, List.of(HostPattern.of("mcp.test"))))
        .authorizer((req, creds) -> {
          authorized.add(req);
          return deny.get() ? new Decision.Deny("test-deny", "egress denied by the test") : new Decision.Allow("test-allow", "ok");
        })
        .start();
    world = new McpFixtures.World(home, McpSandboxMode.BWRAP, new McpHttpAccess(
        new InetSocketAddress("127.0.0.1", proxy.port()), SSLContext.getDefault()));
  }

  @Test
  void httpServer_throughEgressProxy_toolsWork_resultUntrusted() throws Exception {
    setUp();
    world.registry.add(new McpServerConfig("remote", new McpServerConfig.Http(URI.create("http://mcp.test:" + server.port() + "/mcp"))), "operator");

    world.manager.approve("remote", "owner", null);
    SessionContext session = SessionContext.forOwner("s1");
    Submission s = world.kernel.submit(world.tools.get("mcp__remote__add").orElseThrow().toAction(Map.of("a", 20, "b", 22)), session);

    assertThat(((Submission.Executed) s).result().content()).isEqualTo("42");
    assertThat(((Submission.Executed) s).result().label()).isEqualTo(Label.untrusted("mcp:remote"));
    assertThat(authorized).isNotEmpty().allSatisfy(a -> assertThat(a.host()).isEqualTo("mcp.test"));
    assertThat(server.hosts).allSatisfy(h -> assertThat(h).startsWith("mcp.test"));
  }

  @Test
  void httpServer_egressDenied_approvalFails() throws Exception {
    setUp();
    deny.set(true);
    world.registry.add(new McpServerConfig("remote", new McpServerConfig.Http(URI.create("http://mcp.test:" + server.port() + "/mcp"))), "operator");

    assertThatThrownBy(() -> world.manager.approve("remote", "owner", null)).isInstanceOf(McpException.class)
        .hasMessageContaining("remote");
    assertThat(server.hosts).isEmpty();
    assertThat(world.registry.get("remote").orElseThrow().approved()).isFalse();
  }
}
