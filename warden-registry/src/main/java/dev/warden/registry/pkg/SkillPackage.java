package dev.warden.registry.pkg;

import dev.warden.registry.pkg.PackageException.Reason;
import dev.warden.registry.pkg.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A package as bytes: the tar archive, the manifest's canonical bytes, and the detached signature
 * document (absent on an unsigned package). Nothing here is verified; see {@link PackageVerifier}.
 *
 * <p>On disk a package is three sibling files: {@code <name>-<version>.tar},
 * {@code <name>-<version>.manifest.json} and {@code <name>-<version>.sig.json}.
 */
public record SkillPackage(byte[] archive, byte[] manifest, byte[] signatureOrNull) {
  public static final String ARCHIVE_SUFFIX = ".tar";
  public static final String MANIFEST_SUFFIX = ".manifest.json";
  public static final String SIGNATURE_SUFFIX = ".sig.json";

  public SkillPackage {
    archive = Objects.requireNonNull(archive, "archive").clone();
    manifest = Objects.requireNonNull(manifest, "manifest").clone();
    signatureOrNull = signatureOrNull == null ? null : signatureOrNull.clone();
  }

  @Override
  public byte[] archive() {
    return archive.clone();
  }

  @Override
  public byte[] manifest() {
    return manifest.clone();
  }

  @Override
  public byte[] signatureOrNull() {
    return signatureOrNull == null ? null : signatureOrNull.clone();
  }

  public boolean signed() {
    return signatureOrNull != null;
  }

  /** Writes the three files into {@code dir}; returns the archive's path. */
  public Path writeTo(Path dir) throws PackageException {
    PackageManifest m = PackageManifest.parse(manifest);
    String base = m.name() + "-" + m.version();
    try {
      AtomicFiles.write(dir.resolve(base + MANIFEST_SUFFIX), manifest);
      if (signatureOrNull != null) {
        AtomicFiles.write(dir.resolve(base + SIGNATURE_SUFFIX), signatureOrNull);
      }
      Path archivePath = dir.resolve(base + ARCHIVE_SUFFIX);
      AtomicFiles.write(archivePath, archive);
      return archivePath;
    } catch (IOException e) {
      throw new PackageException(Reason.MALFORMED, "cannot write package " + base + " into " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Reads a package from its {@code .tar} path and the sibling manifest and signature files. */
  public static SkillPackage readFrom(Path archivePath) throws PackageException {
    String file = archivePath.getFileName().toString();
    if (!file.endsWith(ARCHIVE_SUFFIX)) {
      throw new PackageException(Reason.MALFORMED, archivePath + " is not a package archive (expected a " + ARCHIVE_SUFFIX + " file)");
    }
    String base = file.substring(0, file.length() - ARCHIVE_SUFFIX.length());
    Path manifestPath = archivePath.resolveSibling(base + MANIFEST_SUFFIX);
    Path sigPath = archivePath.resolveSibling(base + SIGNATURE_SUFFIX);
    try {
      byte[] archive = readBounded(archivePath, PackageLimits.MAX_ARCHIVE_BYTES);
      byte[] manifest = readBounded(manifestPath, PackageLimits.MAX_MANIFEST_BYTES);
      byte[] sig = Files.exists(sigPath) ? readBounded(sigPath, PackageLimits.MAX_SIGNATURE_BYTES) : null;
      return new SkillPackage(archive, manifest, sig);
    } catch (IOException e) {
      throw new PackageException(Reason.MALFORMED, "cannot read package " + archivePath + " (with " + manifestPath.getFileName() + "): " + e.getMessage(), e);
    }
  }

  private static byte[] readBounded(Path p, long max) throws IOException, PackageException {
    long size = Files.size(p);
    if (size > max) {
      throw new PackageException(Reason.TOO_LARGE, p + " is " + size + " bytes, over the limit of " + max);
    }
    return Files.readAllBytes(p);
  }
}
