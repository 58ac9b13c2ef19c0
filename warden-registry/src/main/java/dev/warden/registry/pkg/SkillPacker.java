package dev.warden.registry.pkg;

import dev.warden.kernel.Hashing;
import dev.warden.registry.pkg.PackageException.Reason;
import dev.warden.registry.pkg.internal.PackagePaths;
import dev.warden.registry.pkg.internal.Tar;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Packs a skill folder into a deterministic archive plus manifest.
 *
 * <p>Determinism: the same folder content always gives byte-identical archive and manifest bytes,
 * whatever the file system's listing order, timestamps, owners, umask or locale. Entries are sorted
 * by UTF-8 bytes of their relative path; mtime, uid and gid are zero; the mode is 0755 when the
 * owner-execute bit is set and 0644 otherwise; no directory entries are stored.
 *
 * <p>Refused: symbolic links (they would point outside the package or change meaning on another
 * machine), special files, and anything over {@link PackageLimits}. Skipped: the directories named
 * in {@link #SKIPPED_DIRECTORY_NAMES}, which are version-control metadata, not skill content.
 */
public final class SkillPacker {
  /** Directory names left out of packages. */
  public static final Set<String> SKIPPED_DIRECTORY_NAMES = Set.of(".git", ".hg", ".svn");

  private SkillPacker() {}

  /** Packs without signing; the manifest names {@code publisher} as the key that will sign it. */
  public static SkillPackage pack(Path folder, String name, String version, String description, PublisherKey publisher)
      throws PackageException {
    List<Tar.Entry> entries = collect(folder);
    byte[] archive = Tar.write(entries);
    if (archive.length > PackageLimits.MAX_ARCHIVE_BYTES) {
      throw new PackageException(Reason.TOO_LARGE, "package of " + folder + " would be " + archive.length
          + " bytes, over the limit of " + PackageLimits.MAX_ARCHIVE_BYTES + "; remove large files from the skill");
    }
    List<PackageManifest.FileEntry> files = new ArrayList<>();
    for (Tar.Entry e : entries) {
      files.add(new PackageManifest.FileEntry(e.path(), e.content().length, Hashing.sha256Hex(e.content()), e.mode() == Tar.MODE_EXECUTABLE));
    }
    PackageManifest manifest;
    try {
      manifest = new PackageManifest(PackageManifest.FORMAT, name, version, description, publisher.publisher(),
          publisher.keyId(), Hashing.sha256Hex(archive), files);
    } catch (IllegalArgumentException e) {
      throw new PackageException(Reason.MALFORMED, "cannot pack " + folder + ": " + e.getMessage(), e);
    }
    return new SkillPackage(archive, manifest.canonicalBytes(), null);
  }

  /** Packs and signs in one step. */
  public static SkillPackage packAndSign(Path folder, String name, String version, String description, PublisherKeyPair key)
      throws PackageException {
    return sign(pack(folder, name, version, description, key.publicKey()), key);
  }

  /** Adds a detached signature; the manifest must name this key. */
  public static SkillPackage sign(SkillPackage unsigned, PublisherKeyPair key) throws PackageException {
    byte[] manifestBytes = unsigned.manifest();
    PackageManifest m = PackageManifest.parse(manifestBytes);
    if (!m.publisherKeyId().equals(key.keyId()) || !m.publisher().equals(key.publisher())) {
      throw new PackageException(Reason.TAMPERED_MANIFEST, "manifest names publisher " + m.publisher() + " key "
          + m.publisherKeyId() + " but the signing key is " + key.publisher() + " " + key.keyId()
          + "; pack again with the key you sign with");
    }
    return new SkillPackage(unsigned.archive(), manifestBytes, PackageSignature.sign(manifestBytes, key).toJson());
  }

  private static List<Tar.Entry> collect(Path folder) throws PackageException {
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      throw new PackageException(Reason.MALFORMED, folder + " is not a directory (a skill folder is packed, not a file or a link)");
    }
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(folder, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          return !dir.equals(folder) && SKIPPED_DIRECTORY_NAMES.contains(dir.getFileName().toString())
              ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (attrs.isSymbolicLink()) {
            throw new UnsafeFile(file + " is a symbolic link; packages may not contain links, replace it with the file it points to");
          }
          if (!attrs.isRegularFile()) {
            throw new UnsafeFile(file + " is not a regular file; remove it from the skill folder");
          }
          files.add(file);
          if (files.size() > PackageLimits.MAX_FILES) {
            throw new UnsafeFile(folder + " has more than " + PackageLimits.MAX_FILES + " files");
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (UnsafeFile e) {
      throw new PackageException(e.getMessage().contains("more than") ? Reason.TOO_LARGE : Reason.UNSAFE_ENTRY, e.getMessage(), e);
    } catch (IOException e) {
      throw new PackageException(Reason.MALFORMED, "cannot read skill folder " + folder + ": " + e.getMessage(), e);
    }
    List<Tar.Entry> entries = new ArrayList<>();
    long total = 0;
    for (Path f : files) {
      String rel = folder.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
      PackagePaths.requireSafe(rel);
      try {
        long size = Files.size(f);
        if (size > PackageLimits.MAX_FILE_BYTES) {
          throw new PackageException(Reason.TOO_LARGE, f + " is " + size + " bytes, over the per-file limit of " + PackageLimits.MAX_FILE_BYTES);
        }
        total += size;
        if (total > PackageLimits.MAX_UNPACKED_BYTES) {
          throw new PackageException(Reason.TOO_LARGE, folder + " holds more than " + PackageLimits.MAX_UNPACKED_BYTES + " bytes");
        }
        entries.add(new Tar.Entry(rel, executable(f) ? Tar.MODE_EXECUTABLE : Tar.MODE_FILE, Files.readAllBytes(f)));
      } catch (IOException e) {
        throw new PackageException(Reason.MALFORMED, "cannot read " + f + ": " + e.getMessage(), e);
      }
    }
    entries.sort(Comparator.comparing(Tar.Entry::path, PackagePaths::compare));
    return entries;
  }

  private static boolean executable(Path f) throws IOException {
    try {
      return Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  private static final class UnsafeFile extends IOException {
    UnsafeFile(String message) {
      super(message);
    }
  }
}
