package dev.warden.agent.exec;

import dev.warden.kernel.WardenSecurityException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The agent's workspace directory and the confinement rule for every path a tool names.
 *
 * <p>Threats: a path may try to leave the workspace with {@code ..}, an absolute path, a symlink
 * (planted by a sandboxed command) pointing outside, or a hard link to an outside file. Each is
 * refused: relative paths only, no {@code ..} segments, the real path of the deepest existing
 * ancestor must be inside the real workspace, and regular files with more than one link are
 * refused.
 */
public final class Workspace {

  /** Files the agent reads as its standing instructions (OpenClaw layout). */
  public static final Set<String> INSTRUCTION_FILES =
      Set.of("AGENTS.md", "SOUL.md", "USER.md", "TOOLS.md", "IDENTITY.md", "HEARTBEAT.md", "BOOTSTRAP.md");

  public static final String MEMORY_FILE = "MEMORY.md";
  public static final String MEMORY_DIR = "memory";

  private final Path root;

  public Workspace(Path root) throws IOException {
    Files.createDirectories(root);
    this.root = root.toRealPath();
  }

  public Path root() {
    return root;
  }

  /** Resolves a tool's path argument, or explains why it is refused. */
  public Path resolve(String relative) throws WardenSecurityException {
    if (relative == null || relative.isBlank()) {
      throw new WardenSecurityException("empty path");
    }
    if (relative.indexOf('\0') >= 0) {
      throw new WardenSecurityException("path contains a NUL byte");
    }
    Path p = Path.of(relative);
    if (p.isAbsolute() || relative.startsWith("~")) {
      throw new WardenSecurityException("path " + relative + " is absolute; tools only take paths inside the workspace");
    }
    for (Path part : p) {
      if (part.toString().equals("..")) {
        throw new WardenSecurityException("path " + relative + " climbs out of the workspace with '..'");
      }
    }
    Path full = root.resolve(p).normalize();
    if (!full.startsWith(root)) {
      throw new WardenSecurityException("path " + relative + " leaves the workspace");
    }
    try {
      Path existing = full;
      while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
        existing = existing.getParent();
      }
      if (existing != null) {
        Path real = existing.toRealPath();
        if (!real.startsWith(root)) {
          throw new WardenSecurityException("path " + relative + " goes through a symlink to " + real + ", outside the workspace");
        }
        if (existing.equals(full) && Files.isRegularFile(full, LinkOption.NOFOLLOW_LINKS)) {
          Object links = Files.getAttribute(full, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
          if (links instanceof Integer n && n > 1) {
            throw new WardenSecurityException("path " + relative + " is a hard link shared with another file (" + n
                + " links); hard-linked files are refused because they can alias files outside the workspace");
          }
        }
      }
    } catch (IOException | UnsupportedOperationException e) {
      throw new WardenSecurityException("path " + relative + " cannot be checked: " + e.getMessage());
    }
    return full;
  }

  /** Workspace-relative form with forward slashes. */
  public String relative(Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }

  public static boolean isInstructionFile(String relative) {
    String r = relative.replace('\\', '/');
    return !r.contains("/") && INSTRUCTION_FILES.stream().anyMatch(f -> f.equalsIgnoreCase(r));
  }

  public static boolean isMemoryFile(String relative) {
    String r = relative.replace('\\', '/');
    return r.equalsIgnoreCase(MEMORY_FILE) || r.toLowerCase(Locale.ROOT).startsWith(MEMORY_DIR + "/");
  }
}
