package dev.warden.registry.pkg;

import dev.warden.registry.pkg.PackageException.Reason;
import dev.warden.registry.pkg.internal.Tar;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a verified package's files into a new directory.
 *
 * <p>Threats: entries were already checked by the tar reader (regular files only, no traversal),
 * and every target is checked again here to resolve inside the directory; files are created with
 * {@code CREATE_NEW} and {@code NOFOLLOW_LINKS} so nothing already present (a planted link) is
 * followed or overwritten. The directory must not exist beforehand.
 */
public final class PackageUnpacker {
  private PackageUnpacker() {}

  public static void unpack(VerifiedPackage pkg, Path targetDir) throws PackageException {
    Path root = targetDir.toAbsolutePath().normalize();
    try {
      if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
        throw new PackageException(Reason.UNSAFE_ENTRY, "unpack target " + root + " already exists; unpack into a fresh directory");
      }
      Files.createDirectories(root);
      for (Tar.Entry e : pkg.entries()) {
        Path target = root.resolve(e.path()).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
          throw new PackageException(Reason.UNSAFE_ENTRY, "entry '" + e.path() + "' resolves outside " + root + " (path traversal refused)");
        }
        Path parent = target.getParent();
        for (Path p = parent; !p.equals(root); p = p.getParent()) {
          if (Files.isSymbolicLink(p)) {
            throw new PackageException(Reason.UNSAFE_ENTRY, "directory " + p + " is a link; refusing to write through it");
          }
        }
        Files.createDirectories(parent);
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
          out.write(e.content());
        }
        try {
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(e.mode() == Tar.MODE_EXECUTABLE ? "rwxr-xr-x" : "rw-r--r--"));
        } catch (UnsupportedOperationException ignored) {
          // non-POSIX file system: no executable bit to set
        }
      }
    } catch (IOException e) {
      throw new PackageException(Reason.MALFORMED, "cannot unpack " + pkg.name() + "@" + pkg.version() + " into " + root + ": " + e.getMessage(), e);
    }
  }
}
