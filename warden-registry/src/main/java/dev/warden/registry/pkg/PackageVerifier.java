package dev.warden.registry.pkg;

import dev.warden.kernel.Hashing;
import dev.warden.registry.pkg.PackageException.Reason;
import dev.warden.registry.pkg.internal.Tar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a package before anything of it is used.
 *
 * <p>Order (each step only runs when the previous passed): the manifest parses and is canonical;
 * the signature names the key and publisher the manifest names; the signature verifies over the
 * manifest bytes; the archive is a well-formed package tar (no links, traversal, oversize); every
 * archive entry is in the manifest with the same size, hash and mode, and nothing is missing or
 * extra; the archive's hash is the manifest's; and last, the publisher key is admitted by the
 * trust store — last, so that a first-use pin is only made for a key that signed a valid package.
 */
public final class PackageVerifier {
  private PackageVerifier() {}

  /** Full verification, including publisher trust. */
  public static VerifiedPackage verify(SkillPackage pkg, PublisherTrust trust) throws PackageException {
    Checked c = checkSignatureAndContents(pkg);
    TrustStatus status = trust.admit(c.key());
    return new VerifiedPackage(pkg, c.manifest(), c.key(), status, c.entries());
  }

  /** Signature and contents only ({@link TrustStatus#SIGNATURE_ONLY}): for the registry server. */
  public static VerifiedPackage verifySignatureOnly(SkillPackage pkg) throws PackageException {
    Checked c = checkSignatureAndContents(pkg);
    return new VerifiedPackage(pkg, c.manifest(), c.key(), TrustStatus.SIGNATURE_ONLY, c.entries());
  }

  /**
   * Contents only, no signature ({@link TrustStatus#INSECURE_UNSIGNED}). For local development
   * packages that an install policy explicitly allows unsigned; the install policy refuses these
   * unless its insecure switch is on.
   */
  public static VerifiedPackage insecureVerifyContentsOnly(SkillPackage pkg) throws PackageException {
    PackageManifest m = PackageManifest.parse(pkg.manifest());
    List<Tar.Entry> entries = checkContents(pkg.archive(), m);
    return new VerifiedPackage(pkg, m, null, TrustStatus.INSECURE_UNSIGNED, entries);
  }

  private record Checked(PackageManifest manifest, PublisherKey key, List<Tar.Entry> entries) {}

  private static Checked checkSignatureAndContents(SkillPackage pkg) throws PackageException {
    byte[] sigBytes = pkg.signatureOrNull();
    if (sigBytes == null) {
      throw new PackageException(Reason.BAD_SIGNATURE,
          "package is unsigned; sign it with `warden skills sign` using the publisher's key");
    }
    byte[] manifestBytes = pkg.manifest();
    PackageManifest m = PackageManifest.parse(manifestBytes);
    PackageSignature sig = PackageSignature.parse(sigBytes);
    String what = m.name() + "@" + m.version();
    if (!sig.key().keyId().equals(m.publisherKeyId())) {
      throw new PackageException(Reason.BAD_SIGNATURE, what + " is signed with key " + sig.key().fingerprint()
          + " but its manifest names key SHA256:" + m.publisherKeyId() + " (wrong key, or the manifest was altered)");
    }
    if (!sig.key().publisher().equals(m.publisher())) {
      throw new PackageException(Reason.BAD_SIGNATURE, what + " is signed as publisher '" + sig.key().publisher()
          + "' but its manifest names publisher '" + m.publisher() + "'");
    }
    if (!sig.verifies(manifestBytes)) {
      throw new PackageException(Reason.BAD_SIGNATURE, "signature of " + what + " by " + sig.key().fingerprint()
          + " does not verify over the manifest: the manifest or the signature was altered after signing");
    }
    return new Checked(m, sig.key(), checkContents(pkg.archive(), m));
  }

  private static List<Tar.Entry> checkContents(byte[] archive, PackageManifest m) throws PackageException {
    String what = m.name() + "@" + m.version();
    List<Tar.Entry> entries = Tar.read(archive);
    Map<String, PackageManifest.FileEntry> listed = new HashMap<>();
    for (PackageManifest.FileEntry f : m.files()) {
      listed.put(f.path(), f);
    }
    long total = 0;
    for (Tar.Entry e : entries) {
      PackageManifest.FileEntry f = listed.remove(e.path());
      if (f == null) {
        throw new PackageException(Reason.TAMPERED_ARCHIVE, what + ": archive holds '" + e.path() + "', which the signed manifest does not list");
      }
      if (f.size() != e.content().length) {
        throw new PackageException(Reason.TAMPERED_ARCHIVE, what + ": '" + e.path() + "' is " + e.content().length
            + " bytes, the signed manifest says " + f.size());
      }
      String h = Hashing.sha256Hex(e.content());
      if (!h.equals(f.sha256())) {
        throw new PackageException(Reason.TAMPERED_ARCHIVE, what + ": '" + e.path() + "' has SHA-256 " + h
            + ", the signed manifest says " + f.sha256() + " (the file was changed after signing)");
      }
      if (f.executable() != (e.mode() == Tar.MODE_EXECUTABLE)) {
        throw new PackageException(Reason.TAMPERED_ARCHIVE, what + ": '" + e.path() + "' has a different executable bit than the signed manifest says");
      }
      total += e.content().length;
    }
    if (!listed.isEmpty()) {
      throw new PackageException(Reason.TAMPERED_ARCHIVE, what + ": the signed manifest lists " + listed.keySet().stream().sorted().toList()
          + " but the archive does not contain them");
    }
    if (total > PackageLimits.MAX_UNPACKED_BYTES) {
      throw new PackageException(Reason.TOO_LARGE, what + " unpacks to " + total + " bytes, over " + PackageLimits.MAX_UNPACKED_BYTES);
    }
    String archiveHash = Hashing.sha256Hex(archive);
    if (!archiveHash.equals(m.archiveSha256())) {
      throw new PackageException(Reason.TAMPERED_ARCHIVE, what + ": archive SHA-256 is " + archiveHash
          + ", the signed manifest says " + m.archiveSha256());
    }
    return entries;
  }
}
