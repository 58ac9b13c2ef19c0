package dev.warden.egress;

/**
 * What kind of address a destination resolved to. Only {@link #PUBLIC} passes the
 * {@link DestinationGuard} by default; {@link #overridable()} says which others an operator
 * allowlist entry may let through.
 */
public enum AddressClass {
  /** Globally routable unicast. */
  PUBLIC(true),
  /** RFC 1918, IPv6 unique-local (fc00::/7) and site-local (fec0::/10), local-use NAT64. */
  PRIVATE(true),
  /** 127.0.0.0/8 and ::1. */
  LOOPBACK(true),
  /** 169.254.0.0/16 and fe80::/10 (metadata addresses excepted: see {@link #METADATA}). */
  LINK_LOCAL(true),
  /** Carrier-grade NAT, 100.64.0.0/10. */
  CGNAT(true),
  /** Documentation, benchmarking, IETF-reserved and non-global-unicast ranges. */
  RESERVED(true),
  /** Cloud instance metadata (169.254.169.254, fd00:ec2::254, 100.100.100.200, …): never allowed. */
  METADATA(false),
  /** 0.0.0.0/8 and ::, which reach the local host on many systems: never allowed. */
  UNSPECIFIED(false),
  /** Multicast and broadcast: never allowed. */
  MULTICAST(false),
  /** The name did not resolve or is not a valid host. */
  UNRESOLVED(false);

  private final boolean overridable;

  AddressClass(boolean overridable) {
    this.overridable = overridable;
  }

  /** Whether an operator allowlist entry ({@code --allow-host}) can let this class through. */
  public boolean overridable() {
    return overridable;
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
