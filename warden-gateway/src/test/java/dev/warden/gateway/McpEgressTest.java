package dev.warden.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.agent.mcp.McpRegistry;
import dev.warden.agent.mcp.McpServerConfig;
import dev.warden.egress.CertificateAuthority;
import dev.warden.egress.DestinationGuard;
import dev.warden.egress.Resolver;
import dev.warden.kernel.WardenHome;
import dev.warden.vault.HostPattern;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP MCP servers are reached only through the egress proxy, and only at their configured host. */
class McpEgressTest {
  @TempDir Path dir;

  @Test
  void proxy_passesTheConfiguredServerHost_refusesAnyOther_andRecordsEachExchange() throws Exception {
    try (LoopbackHttp server = new LoopbackHttp("127.0.0.1", "application/json", "{\"jsonrpc\":\"2.0\"}");
        LoopbackHttp other = new LoopbackHttp("127.0.0.2", "text/plain", "leaked");
        WardenRuntime rt = WardenRuntime.open(new WardenHome(dir.resolve("home")), WardenRuntime.Options.none())) {
      McpRegistry registry = McpRegistry.inHome(rt.home(), InstantSource.system());
      registry.add(new McpServerConfig("tools", new McpServerConfig.Http(URI.create(server.url("/mcp")))), "operator");
      DestinationGuard guard = new DestinationGuard(Resolver.SYSTEM, List.of(HostPattern.of("127.0.0.1"), HostPattern.of("127.0.0.2")));
      try (McpEgress.Started egress = McpEgress.start(CertificateAuthority.loadOrCreate(rt.home().ca()), rt.vault(), guard,
          rt.kernel(), registry)) {
        HttpClient viaProxy = HttpClient.newBuilder().proxy(ProxySelector.of(egress.access().proxy())).build();
        HttpResponse<String> ok = viaProxy.send(HttpRequest.newBuilder(URI.create(server.url("/mcp")))
            .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"tools/list\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(server.received).hasSize(1);
        HttpResponse<String> refused = viaProxy.send(HttpRequest.newBuilder(URI.create(other.url("/x")))
            .POST(HttpRequest.BodyPublishers.ofString("data")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("not the host of any configured MCP server");
        assertThat(other.received).isEmpty();
        assertThat(rt.audit().store().tail(20)).anySatisfy(r -> {
          assertThat(r.body().get("via")).isEqualTo("mcp");
          assertThat(r.body().get("host")).isEqualTo("127.0.0.2");
        });
      }
    }
  }
}
