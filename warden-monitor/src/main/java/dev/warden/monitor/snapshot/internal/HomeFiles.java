package dev.warden.monitor.snapshot.internal;

import dev.warden.kernel.WardenHome;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The parts of WARDEN_HOME that snapshots cover, walked in a stable order.
 *
 * <p>Threats: symbolic links are never followed (a link in the workspace pointing at
 * {@code /etc/shadow} or the vault must not pull that file into a snapshot blob); they are reported
 * as skipped instead. Temp files of {@code AtomicFiles} ({@code .NAME.tmp-…}) are half-written by
 * definition and skipped.
 */
public final class HomeFiles {
  /** Single files of the desired state. */
  public static final List<String> COVERED_FILES = List.of("warden.yaml", "skills.lock");
  /** Directories walked recursively: the agent's content, its installed skills, operator policies. */
  public static final List<String> COVERED_DIRS = List.of("workspace", "policies", "skills");

  /** One regular file: home-relative path with {@code /} separators. */
  public record LiveFile(String rel, Path file, long size, String mode) {}

  /** The walk's result: files found and paths deliberately skipped (links, specials). */
  public record Walk(List<LiveFile> files, List<String> skipped) {}

  private HomeFiles() {}

  public static Walk walk(WardenHome home, int maxFiles) throws IOException {
    List<LiveFile> files = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Path root = home.root();
    for (String f : COVERED_FILES) {
      Path p = root.resolve(f);
      if (Files.isSymbolicLink(p)) {
        skipped.add(f + " (symbolic link)");
      } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        files.add(new LiveFile(f, p, Files.size(p), mode(p)));
      }
    }
    for (String d : COVERED_DIRS) {
      Path dir = root.resolve(d);
      if (Files.isSymbolicLink(dir)) {
        skipped.add(d + " (symbolic link)");
        continue;
      }
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          String rel = rel(root, file);
          if (isTempFile(file)) {
            return FileVisitResult.CONTINUE;
          }
          if (attrs.isSymbolicLink() || !attrs.isRegularFile()) {
            skipped.add(rel + (attrs.isSymbolicLink() ? " (symbolic link)" : " (not a regular file)"));
            return FileVisitResult.CONTINUE;
          }
          if (files.size() >= maxFiles) {
            throw new IOException("more than " + maxFiles + " files under " + root
                + "; snapshots cover workspace/, skills/ and policies/ — move bulk data out of the workspace");
          }
          files.add(new LiveFile(rel, file, attrs.size(), mode(file)));
          return FileVisitResult.CONTINUE;
        }
      });
    }
    files.sort((a, b) -> a.rel().compareTo(b.rel()));
    return new Walk(files, skipped);
  }

  public static boolean isTempFile(Path file) {
    String n = file.getFileName().toString();
    return n.startsWith(".") && n.contains(".tmp-");
  }

  public static String rel(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }

  public static boolean covered(String rel) {
    if (COVERED_FILES.contains(rel)) {
      return true;
    }
    for (String d : COVERED_DIRS) {
      if (rel.startsWith(d + "/")) {
        return true;
      }
    }
    return false;
  }

  /** Octal permission bits, e.g. {@code 0644}. */
  public static String mode(Path p) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
    return toOctal(perms);
  }

  public static String toOctal(Set<PosixFilePermission> perms) {
    int bits = 0;
    for (PosixFilePermission x : perms) {
      bits |= switch (x) {
        case OWNER_READ -> 0400;
        case OWNER_WRITE -> 0200;
        case OWNER_EXECUTE -> 0100;
        case GROUP_READ -> 040;
        case GROUP_WRITE -> 020;
        case GROUP_EXECUTE -> 010;
        case OTHERS_READ -> 04;
        case OTHERS_WRITE -> 02;
        case OTHERS_EXECUTE -> 01;
      };
    }
    return String.format("0%03o", bits);
  }

  public static Set<PosixFilePermission> fromOctal(String octal) {
    int bits = Integer.parseInt(octal, 8);
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE};
    for (int i = 0; i < 9; i++) {
      if ((bits & (0400 >> i)) != 0) {
        s.add(order[i]);
      }
    }
    return s;
  }

  /** Text if it decodes as UTF-8 and has no NUL byte. */
  public static boolean isText(byte[] b) {
    for (byte x : b) {
      if (x == 0) {
        return false;
      }
    }
    try {
      java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(b));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }
}
