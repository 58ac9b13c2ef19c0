package dev.warden.sandbox;

import dev.warden.kernel.WardenSecurityException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/** Shared fixtures: one real bubblewrap sandbox per test JVM, and workspaces it can reach. */
final class TestSandboxes {

  private static BubblewrapSandbox shared;

  private TestSandboxes() {}

  static synchronized BubblewrapSandbox bwrap() {
    if (shared == null) {
      try {
        shared = BubblewrapSandbox.create();
      } catch (WardenSecurityException e) {
        throw new IllegalStateException("these tests need bubblewrap: " + e.getMessage(), e);
      }
    }
    return shared;
  }

  /**
   * A workspace under JUnit's temp dir. The temp dir is 0700 by default; as root the sandbox
   * starts as uid 65534, which must be able to traverse to the workspace.
   */
  static Path workspace(Path tempDir) {
    try {
      Files.setPosixFilePermissions(tempDir, PosixFilePermissions.fromString("rwx--x--x"));
      Path ws = Files.createDirectories(tempDir.resolve("ws"));
      Files.setPosixFilePermissions(ws, PosixFilePermissions.fromString("rwxr-xr-x"));
      return ws;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SandboxResult sh(Sandbox sandbox, Path ws, String script) throws WardenSecurityException {
    return sandbox.run(SandboxSpec.builder(ws, "/bin/sh", "-c", script)
        .limits(Limits.DEFAULT.withWallTime(Duration.ofSeconds(20)))
        .build());
  }
}
