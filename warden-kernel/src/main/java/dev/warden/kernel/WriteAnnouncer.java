package dev.warden.kernel;

import java.nio.file.Path;

/**
 * Executors announce the files they are about to write in WARDEN_HOME, so that the integrity
 * watch (monitor) can tell the kernel's own writes from changes made outside it. A token covers a
 * file, or a directory and everything under it, until closed.
 */
@FunctionalInterface
public interface WriteAnnouncer {

  /** A write in progress; close it when the write is done. */
  interface Token extends AutoCloseable {
    @Override
    void close();
  }

  Token writing(Path pathOrDirectory);

  /** No integrity watch: nothing to tell. */
  WriteAnnouncer NONE = p -> () -> {};

  /** An announcer whose target is set later (the watch starts after the executors are built). */
  final class Switchable implements WriteAnnouncer {
    private volatile WriteAnnouncer target = NONE;

    public void set(WriteAnnouncer t) {
      target = t == null ? NONE : t;
    }

    @Override
    public Token writing(Path pathOrDirectory) {
      return target.writing(pathOrDirectory);
    }
  }
}
