package dev.warden.registry.skill;

import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a skill's scripts may do when they run: the hosts they may reach (through the egress proxy),
 * the vault credentials they may use and with which scopes, the executables they may start, the
 * paths they may read and write, and the agent tools they may call.
 *
 * <p>Declared in the skill's {@code SKILL.md} frontmatter under {@code metadata.warden}, in a
 * sidecar {@code warden.yaml} next to it, or both (then both must say the same thing, else the skill
 * does not load). See {@code docs/skills.md}.
 *
 * <p>Guarantee: a skill without a manifest gets {@link #NONE}: no scripts run, no network, no
 * credentials. Every set here is sorted and immutable, so equal manifests are {@code equals}.
 */
public record PermissionManifest(
    Set<String> networkHosts,
    Set<CredentialPermission> credentials,
    Set<String> executables,
    Set<String> readPaths,
    Set<String> writePaths,
    Set<String> tools) {

  /** No manifest: text only; no scripts, no network, no credentials. */
  public static final PermissionManifest NONE =
      new PermissionManifest(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of());

  public PermissionManifest {
    networkHosts = sortedHosts(networkHosts);
    credentials = Collections.unmodifiableSortedSet(new TreeSet<>(credentials));
    executables = sorted(executables);
    readPaths = sortedPaths(readPaths);
    writePaths = sortedPaths(writePaths);
    tools = sorted(tools);
  }

  /** True when the manifest grants nothing at all. */
  public boolean isEmpty() {
    return networkHosts.isEmpty() && credentials.isEmpty() && executables.isEmpty()
        && readPaths.isEmpty() && writePaths.isEmpty() && tools.isEmpty();
  }

  /** True when scripts of this skill may run at all (it declares at least one executable). */
  public boolean allowsScripts() {
    return !executables.isEmpty();
  }

  /** Whether {@code host} is covered by a declared host or {@code *.domain} pattern. */
  public boolean allowsHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return networkHosts.stream().anyMatch(p -> hostMatches(p, h));
  }

  /** Whether a credential of that name is declared. */
  public boolean declaresCredential(String name) {
    return credentials.stream().anyMatch(c -> c.name().equals(name));
  }

  /**
   * What the skill gets at run time: only what it declared and the owner granted. Hosts and paths
   * keep the narrower of the two patterns; credential scopes are intersected (a grant with scope
   * {@code *} gives the declared scopes), and a credential whose declared scopes have nothing in
   * common with the grant is dropped.
   */
  public PermissionManifest intersect(OwnerGrants grants) {
    Set<String> hosts = new TreeSet<>();
    for (String m : networkHosts) {
      for (String g : grants.networkHosts()) {
        String narrower = narrowerHost(m, g);
        if (narrower != null) {
          hosts.add(narrower);
        }
      }
    }
    Set<CredentialPermission> creds = new TreeSet<>();
    for (CredentialPermission m : credentials) {
      for (CredentialPermission g : grants.credentials()) {
        if (!m.name().equals(g.name())) {
          continue;
        }
        if (g.scopes().contains("*")) {
          creds.add(m);
          continue;
        }
        Set<String> common = new TreeSet<>(m.scopes());
        common.retainAll(g.scopes());
        if (m.scopes().isEmpty() || !common.isEmpty()) {
          creds.add(new CredentialPermission(m.name(), common));
        }
      }
    }
    Set<String> exes = new TreeSet<>(executables);
    exes.retainAll(grants.executables());
    Set<String> tls = new TreeSet<>(tools);
    tls.retainAll(grants.tools());
    return new PermissionManifest(hosts, creds, exes,
        intersectPaths(readPaths, grants.readPaths()),
        intersectPaths(writePaths, grants.writePaths()), tls);
  }

  /**
   * What {@code newer} adds to and removes from this manifest. A new scope on an existing credential
   * is reported as that credential with only the new scopes.
   */
  public PermissionDiff diff(PermissionManifest newer) {
    return new PermissionDiff(minus(newer, this), minus(this, newer));
  }

  private static PermissionManifest minus(PermissionManifest a, PermissionManifest b) {
    Set<String> hosts = new TreeSet<>(a.networkHosts);
    hosts.removeAll(b.networkHosts);
    Map<String, Set<String>> bScopes = new TreeMap<>();
    b.credentials.forEach(c -> bScopes.computeIfAbsent(c.name(), k -> new TreeSet<>()).addAll(c.scopes()));
    Set<CredentialPermission> creds = new TreeSet<>();
    for (CredentialPermission c : a.credentials) {
      Set<String> old = bScopes.get(c.name());
      if (old == null) {
        creds.add(c);
      } else {
        Set<String> extra = new TreeSet<>(c.scopes());
        extra.removeAll(old);
        if (!extra.isEmpty()) {
          creds.add(new CredentialPermission(c.name(), extra));
        }
      }
    }
    return new PermissionManifest(hosts, creds, minusSet(a.executables, b.executables),
        minusSet(a.readPaths, b.readPaths), minusSet(a.writePaths, b.writePaths), minusSet(a.tools, b.tools));
  }

  private static Set<String> minusSet(Set<String> a, Set<String> b) {
    Set<String> s = new TreeSet<>(a);
    s.removeAll(b);
    return s;
  }

  static boolean hostMatches(String pattern, String host) {
    if (pattern.startsWith("*.")) {
      return host.endsWith(pattern.substring(1));
    }
    return pattern.equals(host);
  }

  /** The narrower of two host patterns when they overlap, else null. */
  private static String narrowerHost(String a, String b) {
    boolean wa = a.startsWith("*.");
    boolean wb = b.startsWith("*.");
    if (!wa && !wb) {
      return a.equals(b) ? a : null;
    }
    if (!wa) {
      return hostMatches(b, a) ? a : null;
    }
    if (!wb) {
      return hostMatches(a, b) ? b : null;
    }
    if (a.substring(1).endsWith(b.substring(1))) {
      return a;
    }
    return b.substring(1).endsWith(a.substring(1)) ? b : null;
  }

  private static Set<String> intersectPaths(Set<String> declared, Set<String> granted) {
    Set<String> out = new TreeSet<>();
    for (String d : declared) {
      for (String g : granted) {
        if (within(d, g)) {
          out.add(d);
        } else if (within(g, d)) {
          out.add(g);
        }
      }
    }
    return out;
  }

  /** Whether {@code path} is {@code dir} or under it. */
  static boolean within(String path, String dir) {
    return path.equals(dir) || path.startsWith(dir.endsWith("/") ? dir : dir + "/");
  }

  static SortedSet<String> sorted(Collection<String> in) {
    TreeSet<String> s = new TreeSet<>();
    for (String x : in) {
      if (x == null || x.isBlank()) {
        throw new IllegalArgumentException("manifest entries must be non-blank strings, got: " + in);
      }
      s.add(x.strip());
    }
    return Collections.unmodifiableSortedSet(s);
  }

  static SortedSet<String> sortedHosts(Collection<String> in) {
    TreeSet<String> s = new TreeSet<>();
    for (String x : sorted(in)) {
      String h = x.toLowerCase(Locale.ROOT);
      if (h.contains("/") || h.contains(":") && !h.startsWith("[")) {
        throw new IllegalArgumentException("network entries are host names (optionally *.domain), not URLs: " + x);
      }
      s.add(h);
    }
    return Collections.unmodifiableSortedSet(s);
  }

  private static SortedSet<String> sortedPaths(Collection<String> in) {
    TreeSet<String> s = new TreeSet<>();
    for (String x : sorted(in)) {
      String p = x.length() > 1 && x.endsWith("/") ? x.substring(0, x.length() - 1) : x;
      if (p.equals("..") || p.startsWith("../") || p.contains("/../") || p.endsWith("/..")) {
        throw new IllegalArgumentException("manifest paths must not contain '..': " + x);
      }
      s.add(p);
    }
    return Collections.unmodifiableSortedSet(s);
  }
}
