package dev.warden.agent.mcp;

import java.net.InetSocketAddress;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How HTTP MCP servers are reached: through Warden's egress proxy (which decides each request in
 * the kernel, scans it for leaks and injects credentials), trusting the proxy's CA because it
 * intercepts TLS.
 *
 * @param proxy the egress proxy's TCP listener, e.g. {@code 127.0.0.1:PORT} ({@code EgressProxy#port()})
 * @param sslContext trusts the egress proxy's CA (built from {@code CertificateAuthority#certificate()})
 */
public record McpHttpAccess(InetSocketAddress proxy, SSLContext sslContext) {
  public McpHttpAccess {
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(sslContext, "sslContext");
  }
}
