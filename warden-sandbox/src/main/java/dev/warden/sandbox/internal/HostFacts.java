package dev.warden.sandbox.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Small facts about the host the sandbox is built on. */
public final class HostFacts {

  private HostFacts() {}

  /** The JVM's effective uid, from {@code /proc/self/status}. */
  public static int effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Integer.parseInt(line.split("\\s+")[2]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through: treat as unknown, which callers handle as "not root"
    }
    return -1;
  }

  /** The first executable named {@code name} in {@code dirs}, or null. */
  public static Path findExecutableOrNull(String name, String... dirs) {
    for (String dir : dirs) {
      Path p = Path.of(dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** Owner uid of {@code p} without following a final symlink. */
  public static int ownerUid(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }
}
