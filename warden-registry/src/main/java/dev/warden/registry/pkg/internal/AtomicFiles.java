package dev.warden.registry.pkg.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Write-to-temp, fsync, rename: a reader sees the old file or the new one, never half of one. */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, bytes, null);
  }

  /** As {@link #write(Path, byte[])}, creating the file with {@code permissionsOrNull}. */
  public static void write(Path target, byte[] bytes, Set<PosixFilePermission> permissionsOrNull)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      if (permissionsOrNull != null) {
        try {
          Files.setPosixFilePermissions(tmp, permissionsOrNull);
        } catch (UnsupportedOperationException ignored) {
          // non-POSIX file system: nothing finer than the default is available
        }
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      fsyncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Makes a rename durable; silently skipped where directories cannot be opened (Windows). */
  public static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // best effort: the rename itself already happened
    }
  }
}
