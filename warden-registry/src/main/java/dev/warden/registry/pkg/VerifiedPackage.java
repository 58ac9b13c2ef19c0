package dev.warden.registry.pkg;

import dev.warden.registry.pkg.internal.Tar;
import java.util.List;
import java.util.Objects;

/**
 * A package whose manifest, archive and (unless {@link TrustStatus#INSECURE_UNSIGNED}) signature
 * and publisher trust have been checked by {@link PackageVerifier}. Only the verifier creates one.
 */
public final class VerifiedPackage {
  private final SkillPackage source;
  private final PackageManifest manifest;
  private final PublisherKey keyOrNull;
  private final TrustStatus trust;
  private final List<Tar.Entry> entries;

  VerifiedPackage(SkillPackage source, PackageManifest manifest, PublisherKey keyOrNull, TrustStatus trust, List<Tar.Entry> entries) {
    this.source = Objects.requireNonNull(source);
    this.manifest = Objects.requireNonNull(manifest);
    if ((keyOrNull == null) != (trust == TrustStatus.INSECURE_UNSIGNED)) {
      throw new dev.warden.kernel.WardenBugException("a verified package has a key exactly when it was signed");
    }
    this.keyOrNull = keyOrNull;
    this.trust = Objects.requireNonNull(trust);
    this.entries = List.copyOf(entries);
  }

  public SkillPackage source() {
    return source;
  }

  public PackageManifest manifest() {
    return manifest;
  }

  /** The key that signed it; null only for {@link TrustStatus#INSECURE_UNSIGNED}. */
  public PublisherKey keyOrNull() {
    return keyOrNull;
  }

  public TrustStatus trust() {
    return trust;
  }

  public boolean signatureChecked() {
    return trust != TrustStatus.INSECURE_UNSIGNED;
  }

  public String name() {
    return manifest.name();
  }

  public String version() {
    return manifest.version();
  }

  /** The archive's files, in package order. Package-private detail exposed for the unpacker. */
  List<Tar.Entry> entries() {
    return entries;
  }

  @Override
  public String toString() {
    return "VerifiedPackage[" + manifest.name() + "@" + manifest.version() + " by " + (keyOrNull == null ? manifest.publisher() + " (unsigned)" : keyOrNull) + ", " + trust + "]";
  }
}
