package dev.warden.gateway;

import dev.warden.agent.mcp.McpException;
import dev.warden.agent.mcp.McpHttpAccess;
import dev.warden.agent.mcp.McpRegistry;
import dev.warden.agent.mcp.McpServerConfig;
import dev.warden.agent.mcp.McpServerEntry;
import dev.warden.egress.CertificateAuthority;
import dev.warden.egress.DestinationGuard;
import dev.warden.egress.EgressProxy;
import dev.warden.kernel.Decision;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.WardenSecurityException;
import dev.warden.vault.Vault;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The egress proxy that HTTP MCP servers are reached through: destination guard, leak scan,
 * credential placeholders and an audit event per exchange, like any other traffic. Each MCP tool
 * call was already decided by the kernel (a {@code tool_call}); the transport's requests are
 * allowed only toward the host of an MCP server configured in {@code mcp.json}, and refused
 * anywhere else.
 */
final class McpEgress {
  private McpEgress() {}

  /** The running proxy (close it with the runtime) and what the MCP client needs to use it. */
  record Started(EgressProxy proxy, McpHttpAccess access) implements AutoCloseable {
    @Override
    public void close() {
      proxy.close();
    }
  }

  static Started start(CertificateAuthority ca, Vault vault, DestinationGuard guard, Kernel kernel, McpRegistry registry)
      throws WardenSecurityException {
    EgressProxy proxy = EgressProxy.builder(ca, vault).guard(guard).port(0)
        .authorizer((request, credentials) -> {
          String host = request.host();
          try {
            for (McpServerEntry e : registry.list()) {
              if (e.config().transport() instanceof McpServerConfig.Http http
                  && http.url().getHost() != null && http.url().getHost().toLowerCase(Locale.ROOT).equals(host)) {
                return new Decision.Allow("mcp-server-host", "MCP server " + e.config().name() + " is configured at " + host);
              }
            }
          } catch (McpException ex) {
            return new Decision.Deny("mcp-registry-unreadable", "denied: the MCP server list cannot be read: " + ex.getMessage());
          }
          return new Decision.Deny("mcp-undeclared-host", "denied: " + host + " is not the host of any configured MCP server");
        })
        .listener(r -> {
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("via", "mcp");
          f.put("method", r.method());
          f.put("host", r.host());
          f.put("path", r.path());
          f.put("status", r.status());
          f.put("verdict", r.verdict());
          f.put("rule", r.rule());
          kernel.recordEvent("egress", r.alert() ? "alert" : "exchange", null, f);
        })
        .start();
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("warden-ca", ca.certificate());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return new Started(proxy, new McpHttpAccess(new InetSocketAddress("127.0.0.1", proxy.port()), ssl));
    } catch (java.security.GeneralSecurityException | java.io.IOException e) {
      proxy.close();
      throw new WardenSecurityException("cannot build the TLS context for MCP over the egress proxy: " + e.getMessage(), e);
    }
  }
}
