package dev.warden.sandbox;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What network a sandbox gets. Ranked presets, deny by default: there is no "host network".
 *
 * <ul>
 *   <li>{@link #NONE}: only a private loopback interface; every connection out fails. Use for
 *       every command whose capabilities do not include network.
 *   <li>{@link Proxy}: the same, plus Warden's egress proxy made reachable as {@code
 *       http://127.0.0.1:3128} by a forwarder inside the sandbox that talks to the proxy's Unix
 *       socket (bound read-only). Every request is then decided and audited by the proxy.
 * </ul>
 */
public sealed interface NetworkAccess {

  /** No network at all. */
  NetworkAccess NONE = new None();

  /** Port of the in-sandbox forwarder to the egress proxy, on the sandbox's own loopback. */
  int PROXY_PORT = 3128;

  /** Where the proxy's socket appears inside the sandbox. */
  String PROXY_SOCKET_IN_SANDBOX = "/run/warden/proxy.sock";

  static NetworkAccess proxy(Path unixSocket) {
    return new Proxy(unixSocket);
  }

  /** No network; see {@link #NONE}. */
  record None() implements NetworkAccess {}

  /**
   * Egress only through the proxy listening on {@code unixSocket} (a host path, absolute). The
   * socket must be connectable by the sandbox's user (uid 65534 when Warden runs as root).
   */
  record Proxy(Path unixSocket) implements NetworkAccess {
    public Proxy {
      Objects.requireNonNull(unixSocket, "unixSocket");
      if (!unixSocket.isAbsolute()) {
        throw new IllegalArgumentException(
            "proxy socket must be an absolute path, got '" + unixSocket + "'");
      }
      unixSocket = unixSocket.normalize();
    }
  }
}
