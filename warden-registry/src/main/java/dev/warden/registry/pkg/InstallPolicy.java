package dev.warden.registry.pkg;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which packages may be installed. Deny by default: only the listed registries, signatures
 * required and checked against the trust store, no yanked versions, and only a CLEAN scan lets a
 * skill out of quarantine. Each weakening is an explicit field; the one that disables signatures is
 * named {@code unsafe…} so that a reviewer finds it with one grep.
 *
 * <p>A MALICIOUS verdict is never accepted, whatever the threshold.
 *
 * @param allowedRegistries registries packages may come from (compared by scheme, host, port, path)
 * @param allowLocalPaths whether package files on this machine may be installed
 * @param unsafeAllowUnsigned whether a package without a checked signature may be installed
 * @param maxScanVerdict the worst scanner verdict that still lets a skill out of quarantine
 * @param allowYanked whether a version its publisher yanked may be installed
 */
public record InstallPolicy(List<URI> allowedRegistries, boolean allowLocalPaths, boolean unsafeAllowUnsigned,
    ScanVerdict maxScanVerdict, boolean allowYanked) {

  public InstallPolicy {
    allowedRegistries = List.copyOf(allowedRegistries);
    Objects.requireNonNull(maxScanVerdict, "maxScanVerdict");
    if (maxScanVerdict == ScanVerdict.MALICIOUS) {
      throw new IllegalArgumentException("no policy may install skills the scanner calls malicious; the highest threshold is SUSPICIOUS");
    }
  }

  /** The default: these registries only, signed and trusted, CLEAN scan, no yanked versions. */
  public static InstallPolicy registriesOnly(URI... registries) {
    return new InstallPolicy(List.of(registries), false, false, ScanVerdict.CLEAN, false);
  }

  public InstallPolicy withLocalPaths() {
    return new InstallPolicy(allowedRegistries, true, unsafeAllowUnsigned, maxScanVerdict, allowYanked);
  }

  public InstallPolicy withMaxScanVerdict(ScanVerdict verdict) {
    return new InstallPolicy(allowedRegistries, allowLocalPaths, unsafeAllowUnsigned, verdict, allowYanked);
  }

  /** Lets unsigned packages in (local development only); they are labelled untrusted. */
  public InstallPolicy unsafeAllowingUnsigned() {
    return new InstallPolicy(allowedRegistries, allowLocalPaths, true, maxScanVerdict, allowYanked);
  }

  public InstallDecision checkSource(SkillSource source) {
    return switch (source) {
      case SkillSource.Registry r -> {
        String wanted = normalize(r.registry());
        boolean listed = allowedRegistries.stream().anyMatch(u -> normalize(u).equals(wanted));
        yield listed
            ? new InstallDecision.Allowed("source.registry_allowed", "registry " + wanted + " is an allowed source")
            : new InstallDecision.Refused("source.registry_not_allowed", "registry " + wanted + " is not an allowed install source (allowed: "
                + allowedRegistries.stream().map(InstallPolicy::normalize).toList() + "); add it to the install policy if you trust it");
      }
      case SkillSource.LocalPath l -> allowLocalPaths
          ? new InstallDecision.Allowed("source.local_allowed", "local packages are allowed by the install policy")
          : new InstallDecision.Refused("source.local_path_not_allowed", "installing from the local path " + l.path()
              + " is off by default; enable local paths in the install policy (--allow-local) if this package is yours");
    };
  }

  public InstallDecision checkPackage(VerifiedPackage pkg, boolean yanked) {
    String what = pkg.name() + "@" + pkg.version();
    switch (pkg.trust()) {
      case SIGNATURE_ONLY -> {
        return new InstallDecision.Refused("signature.trust_not_evaluated", what
            + " was verified without a trust store; verify it against the trust store before installing");
      }
      case INSECURE_UNSIGNED -> {
        if (!unsafeAllowUnsigned) {
          return new InstallDecision.Refused("signature.required", what
              + " is not signed and the install policy requires signatures; sign it with `warden skills sign`");
        }
      }
      default -> {
        // TRUSTED, PINNED, PINNED_ON_FIRST_USE: the trust store admitted the key
      }
    }
    if (yanked && !allowYanked) {
      return new InstallDecision.Refused("version.yanked", what + " was yanked by its publisher; install another version");
    }
    return new InstallDecision.Allowed("package.allowed", what + " passed the install policy (" + pkg.trust() + ")");
  }

  public InstallDecision checkScan(String name, ScanVerdict verdict) {
    if (verdict.atMost(maxScanVerdict)) {
      return new InstallDecision.Allowed("scan.passed", name + " scanned " + verdict + ", within the threshold " + maxScanVerdict);
    }
    return new InstallDecision.Refused("scan.verdict_above_threshold", name + " scanned " + verdict + ", above the threshold "
        + maxScanVerdict + "; it stays quarantined. Read the scanner findings; remove it or, if they are false alarms, raise the threshold");
  }

  /** Scheme and host lower-cased, default port dropped, no trailing slash, no query or fragment. */
  public static String normalize(URI u) {
    String scheme = Objects.requireNonNullElse(u.getScheme(), "").toLowerCase(Locale.ROOT);
    String host = Objects.requireNonNullElse(u.getHost(), "").toLowerCase(Locale.ROOT);
    int port = u.getPort();
    boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
    String path = Objects.requireNonNullElse(u.getPath(), "");
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
  }
}
