package dev.warden.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Atomic file replacement: write a temp file in the same directory, fsync it, rename it over the
 * target, fsync the directory. A reader sees the old file or the new one, never a torn one, and a
 * crash after return keeps the new one.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void writeString(Path target, String content) throws IOException {
    write(target, content.getBytes(StandardCharsets.UTF_8), null);
  }

  public static void writeString(Path target, String content, Set<PosixFilePermission> permsOrNull) throws IOException {
    write(target, content.getBytes(StandardCharsets.UTF_8), permsOrNull);
  }

  public static void write(Path target, byte[] content, Set<PosixFilePermission> permsOrNull) throws IOException {
    write(target, content, permsOrNull, true);
  }

  /** As {@link #write}, optionally without fsync (for files rewritten very often, like the audit head). */
  public static void write(Path target, byte[] content, Set<PosixFilePermission> permsOrNull, boolean fsync)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().threadId());
    Set<PosixFilePermission> perms = permsOrNull == null ? PosixFilePermissions.fromString("rw-r--r--") : permsOrNull;
    try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(perms))) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      if (fsync) {
        ch.force(true);
      }
    }
    Files.setPosixFilePermissions(tmp, perms);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(tmp);
      throw new IOException("cannot replace " + target + " atomically on this file system", e);
    }
    if (fsync) {
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException ignored) {
        // Some file systems refuse to open directories; the rename is still atomic.
      }
    }
  }
}
