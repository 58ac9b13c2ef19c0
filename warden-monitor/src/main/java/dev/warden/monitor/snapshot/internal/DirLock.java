package dev.warden.monitor.snapshot.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on a directory, across processes (a lock file) and within this JVM (a file
 * lock cannot be taken twice by one process, so threads queue on a {@link ReentrantLock} first).
 */
public final class DirLock implements AutoCloseable {
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

  private final ReentrantLock local;
  private final FileChannel channel;
  private final FileLock lock;

  private DirLock(ReentrantLock local, FileChannel channel, FileLock lock) {
    this.local = local;
    this.channel = channel;
    this.lock = lock;
  }

  public static DirLock acquire(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(".lock").toAbsolutePath().normalize();
    ReentrantLock local = LOCAL.computeIfAbsent(file, f -> new ReentrantLock());
    local.lock();
    if (local.getHoldCount() > 1) {
      return new DirLock(local, null, null);
    }
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      return new DirLock(local, ch, ch.lock());
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      local.unlock();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock != null) {
        lock.release();
      }
      if (channel != null) {
        channel.close();
      }
    } finally {
      local.unlock();
    }
  }
}
