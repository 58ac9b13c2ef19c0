package dev.warden.egress;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A destination that passed the {@link DestinationGuard}.
 *
 * <p><b>Contract:</b> connect to {@link #socketAddress()} — the address that was checked — and never
 * resolve {@link #host()} again; a second lookup is exactly what DNS rebinding exploits. Use
 * {@code host} only for the Host header, TLS SNI and certificate verification.
 *
 * @param host the requested host name or IP literal, lower-cased, without brackets
 * @param port the TCP port
 * @param address the checked address to connect to
 * @param addressClass the class of {@code address}
 * @param allowlisted whether an operator allowlist entry let a non-public address through
 */
public record Destination(String host, int port, InetAddress address, AddressClass addressClass, boolean allowlisted) {
  public Destination {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(addressClass, "addressClass");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** The pinned socket address: connect here. */
  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }
}
