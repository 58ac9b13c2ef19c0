package dev.warden.egress;

import dev.warden.vault.HostPattern;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SSRF guard shared by the egress proxy and the agent's web_fetch tool.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>A host is resolved exactly once per {@link #check} call; every address it resolves to must
 *       pass (a name that answers with one public and one private address is refused), and the
 *       returned {@link Destination} pins the first. Callers connect to that address, so a DNS
 *       answer that changes between check and connect (rebinding) has no effect.
 *   <li>Only {@link AddressClass#PUBLIC} addresses pass by default. An operator allowlist entry
 *       ({@code --allow-host}, matched against the requested host name as written) lets through
 *       the classes that are {@link AddressClass#overridable()}; cloud metadata, unspecified,
 *       multicast and broadcast addresses never pass.
 *   <li>IPv4 addresses embedded in IPv6 (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4)
 *       are classified by the IPv4 address they carry. IP literals in any form the JDK accepts
 *       (including inet_aton forms such as {@code 2130706433} or {@code 0x7f.1}) are classified by the
 *       address they denote, never by their spelling.
 * </ul>
 *
 * <p>Order of use (DNS is itself an outbound channel): {@link #precheck} before the kernel decides,
 * {@link #check} after it allowed, then connect to {@link Destination#socketAddress()}.
 *
 * <p>Thread-safe and immutable.
 */
public final class DestinationGuard {
  /** Longest host name accepted (RFC 1035). */
  public static final int MAX_HOST_NAME_CHARS = 253;

  /** Host names that are metadata services whatever they resolve to. */
  public static final Set<String> METADATA_HOST_NAMES =
      Set.of("metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal");

  private static final Pattern HOST_NAME =
      Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,62})(\\.[a-z0-9_]([a-z0-9_-]{0,62}))*\\.?");
  private static final Pattern NUMERIC_LABELS = Pattern.compile("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*");
  private static final Pattern CANONICAL_IPV4 =
      Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern LOOKS_LIKE_LITERAL = Pattern.compile("[0-9a-fx.:]+");

  private final Resolver resolver;
  private final List<HostPattern> allowedHosts;

  /**
   * @param resolver name resolution ({@link Resolver#SYSTEM} in production)
   * @param allowedHosts operator allowlist: host names or patterns ({@code *.corp.example}) or IP
   *     literals whose non-public addresses may be reached
   */
  public DestinationGuard(Resolver resolver, Collection<HostPattern> allowedHosts) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.allowedHosts = List.copyOf(allowedHosts);
  }

  /** Public destinations only, system DNS. The default for production. */
  public static DestinationGuard publicOnly() {
    return new DestinationGuard(Resolver.SYSTEM, List.of());
  }

  /** The operator allowlist in force. */
  public List<HostPattern> allowedHosts() {
    return allowedHosts;
  }

  /** A copy with more allowlist entries. */
  public DestinationGuard allowing(Collection<HostPattern> more) {
    List<HostPattern> all = new java.util.ArrayList<>(allowedHosts);
    all.addAll(more);
    return new DestinationGuard(resolver, all);
  }

  /** Checks the host and port of an {@code http} or {@code https} URL. */
  public Destination check(URI url) throws DestinationDeniedException {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new DestinationDeniedException(String.valueOf(url.getHost()), AddressClass.UNRESOLVED,
          "only http and https URLs may leave Warden, got '" + url.getScheme() + "'");
    }
    if (url.getHost() == null) {
      throw new DestinationDeniedException("", AddressClass.UNRESOLVED, "URL has no host: " + url);
    }
    int port = url.getPort() != -1 ? url.getPort() : scheme.equals("https") ? 443 : 80;
    return check(url.getHost(), port);
  }

  /**
   * Everything that can be checked without DNS: port, syntax, metadata host names, ambiguous numeric
   * spellings, and — for an IP literal — the full classification. Returns the destination when
   * {@code host} is an IP literal (nothing left to resolve), empty when it is a name that
   * {@link #check} will resolve.
   *
   * <p>Use it before asking the kernel, and {@link #check} only after the kernel allowed the
   * request: resolving a name is itself a message to whoever runs its DNS zone, so a name chosen by
   * untrusted code (e.g. {@code <data>.attacker.example}) must not be looked up before the request
   * was allowed.
   */
  public Optional<Destination> precheck(String host, int port) throws DestinationDeniedException {
    Objects.requireNonNull(host, "host");
    String h = normalise(host);
    if (port < 1 || port > 65535) {
      throw new DestinationDeniedException(h, AddressClass.UNRESOLVED, "port " + port + " is out of range");
    }
    if (h.isEmpty() || h.length() > MAX_HOST_NAME_CHARS) {
      throw new DestinationDeniedException(h, AddressClass.UNRESOLVED, "invalid host name (empty or too long)");
    }
    String bare = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    if (METADATA_HOST_NAMES.contains(bare)) {
      throw denied(h, AddressClass.METADATA, null);
    }
    if (NUMERIC_LABELS.matcher(bare).matches() && !CANONICAL_IPV4.matcher(bare).matches()) {
      // Spellings like 2130706433, 0x7f.1 or 0177.0.0.1 mean different addresses to different
      // parsers (the JDK reads 0177 as decimal, libc as octal); refuse rather than guess.
      throw new DestinationDeniedException(h, AddressClass.UNRESOLVED,
          "'" + host + "' is an ambiguous numeric address; write IPv4 addresses as four decimal numbers (a.b.c.d)");
    }
    InetAddress literal = literalOrNull(h);
    if (literal != null) {
      return Optional.of(pin(h, port, List.of(literal)));
    }
    if (!HOST_NAME.matcher(h).matches()) {
      throw new DestinationDeniedException(h, AddressClass.UNRESOLVED, "'" + host + "' is not a valid host name");
    }
    return Optional.empty();
  }

  /** Resolves {@code host} once, classifies every address and returns the pinned destination. */
  public Destination check(String host, int port) throws DestinationDeniedException {
    Optional<Destination> literal = precheck(host, port);
    if (literal.isPresent()) {
      return literal.get();
    }
    String h = normalise(host);
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(h);
    } catch (UnknownHostException e) {
      throw new DestinationDeniedException(h, AddressClass.UNRESOLVED, "host '" + h + "' does not resolve");
    }
    if (addresses == null || addresses.isEmpty()) {
      throw new DestinationDeniedException(h, AddressClass.UNRESOLVED, "host '" + h + "' resolved to no address");
    }
    return pin(h, port, addresses);
  }

  private static String normalise(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h;
  }

  private Destination pin(String h, int port, List<InetAddress> addresses) throws DestinationDeniedException {
    boolean allowlisted = isAllowlisted(h);
    AddressClass pinnedClass = null;
    for (InetAddress a : addresses) {
      AddressClass c = classify(a);
      if (c != AddressClass.PUBLIC && !(allowlisted && c.overridable())) {
        throw denied(h, c, a);
      }
      if (pinnedClass == null) {
        pinnedClass = c;
      }
    }
    InetAddress pinned = addresses.getFirst();
    // Strip the host name the resolver attached, so nothing downstream can re-resolve it by accident.
    try {
      pinned = InetAddress.getByAddress(pinned.getAddress());
    } catch (UnknownHostException e) {
      throw new dev.warden.kernel.WardenBugException("raw address rejected by the JDK: " + pinned, e);
    }
    return new Destination(h, port, pinned, pinnedClass, allowlisted && pinnedClass != AddressClass.PUBLIC);
  }

  private boolean isAllowlisted(String host) {
    for (HostPattern p : allowedHosts) {
      if (p.matches(host)) {
        return true;
      }
    }
    return false;
  }

  private DestinationDeniedException denied(String host, AddressClass c, InetAddress a) {
    String what = a == null ? "" : " (" + a.getHostAddress() + ")";
    String fix = c.overridable()
        ? "; if this internal service is meant to be reachable, the operator can allow it with --allow-host " + host
        : "; this class of address is never reachable through Warden";
    return new DestinationDeniedException(host, c,
        "destination " + host + what + " is a " + c.label() + " address" + fix);
  }

  private static InetAddress literalOrNull(String h) {
    if (!LOOKS_LIKE_LITERAL.matcher(h).matches()) {
      return null;
    }
    try {
      return InetAddress.ofLiteral(h);
    } catch (IllegalArgumentException notALiteral) {
      return null;
    }
  }

  /** The class of one address. */
  public static AddressClass classify(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return classify4(b, 0);
    }
    if (address instanceof Inet6Address) {
      return classify6(b);
    }
    return AddressClass.UNRESOLVED;
  }

  private static int u(byte x) {
    return x & 0xff;
  }

  private static AddressClass classify4(byte[] b, int o) {
    int a0 = u(b[o]);
    int a1 = u(b[o + 1]);
    int a2 = u(b[o + 2]);
    int a3 = u(b[o + 3]);
    if ((a0 == 169 && a1 == 254 && a2 == 169 && a3 == 254)
        || (a0 == 169 && a1 == 254 && a2 == 170 && (a3 == 2 || a3 == 23))
        || (a0 == 100 && a1 == 100 && a2 == 100 && a3 == 200)
        || (a0 == 192 && a1 == 0 && a2 == 0 && a3 == 192)) {
      return AddressClass.METADATA;
    }
    if (a0 == 0) {
      return AddressClass.UNSPECIFIED;
    }
    if (a0 == 127) {
      return AddressClass.LOOPBACK;
    }
    if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
      return AddressClass.PRIVATE;
    }
    if (a0 == 169 && a1 == 254) {
      return AddressClass.LINK_LOCAL;
    }
    if (a0 == 100 && (a1 & 0xc0) == 64) {
      return AddressClass.CGNAT;
    }
    if (a0 >= 224 && a0 <= 239) {
      return AddressClass.MULTICAST;
    }
    if (a0 == 255 && a1 == 255 && a2 == 255 && a3 == 255) {
      return AddressClass.MULTICAST;
    }
    if (a0 >= 240
        || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2))
        || (a0 == 198 && (a1 == 18 || a1 == 19))
        || (a0 == 198 && a1 == 51 && a2 == 100)
        || (a0 == 203 && a1 == 0 && a2 == 113)
        || (a0 == 192 && a1 == 88 && a2 == 99)) {
      return AddressClass.RESERVED;
    }
    return AddressClass.PUBLIC;
  }

  private static AddressClass classify6(byte[] b) {
    boolean first10Zero = true;
    for (int i = 0; i < 10; i++) {
      first10Zero &= b[i] == 0;
    }
    if (first10Zero && u(b[10]) == 0xff && u(b[11]) == 0xff) {
      return classify4(b, 12); // IPv4-mapped ::ffff:a.b.c.d
    }
    if (first10Zero && b[10] == 0 && b[11] == 0) {
      boolean rest = b[12] == 0 && b[13] == 0 && b[14] == 0;
      if (rest && b[15] == 0) {
        return AddressClass.UNSPECIFIED;
      }
      if (rest && b[15] == 1) {
        return AddressClass.LOOPBACK;
      }
      return classify4(b, 12); // deprecated IPv4-compatible ::a.b.c.d
    }
    int w0 = (u(b[0]) << 8) | u(b[1]);
    int w1 = (u(b[2]) << 8) | u(b[3]);
    if (w0 == 0x0064 && w1 == 0xff9b) {
      boolean wellKnown = true;
      for (int i = 4; i < 12; i++) {
        wellKnown &= b[i] == 0;
      }
      return wellKnown ? classify4(b, 12) : AddressClass.PRIVATE; // 64:ff9b::/96 or local-use 64:ff9b:1::/48
    }
    if (w0 == 0x2002) {
      return classify4(b, 2); // 6to4 carries the IPv4 address in bits 16..47
    }
    if (w0 == 0xfd00 && w1 == 0x0ec2) {
      boolean metadata = true;
      for (int i = 4; i < 14; i++) {
        metadata &= b[i] == 0;
      }
      if (metadata && b[14] == 0x02 && u(b[15]) == 0x54) {
        return AddressClass.METADATA; // fd00:ec2::254
      }
    }
    if ((u(b[0]) & 0xfe) == 0xfc) {
      return AddressClass.PRIVATE;
    }
    if (u(b[0]) == 0xfe && (u(b[1]) & 0xc0) == 0x80) {
      return AddressClass.LINK_LOCAL;
    }
    if (u(b[0]) == 0xfe && (u(b[1]) & 0xc0) == 0xc0) {
      return AddressClass.PRIVATE;
    }
    if (u(b[0]) == 0xff) {
      return AddressClass.MULTICAST;
    }
    if ((w0 == 0x2001 && w1 == 0x0db8) || (w0 == 0x2001 && w1 == 0x0000) || (w0 & 0xe000) != 0x2000) {
      return AddressClass.RESERVED; // documentation, Teredo, and everything outside 2000::/3
    }
    return AddressClass.PUBLIC;
  }

  @Override
  public String toString() {
    return "DestinationGuard[allow=" + allowedHosts + "]";
  }
}
