package dev.warden.registry.pkg.internal;

import dev.warden.registry.pkg.PackageException;
import dev.warden.registry.pkg.PackageException.Reason;
import dev.warden.registry.pkg.PackageLimits;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** What a path inside a package may look like, and the one order entries are kept in. */
public final class PackagePaths {
  private PackagePaths() {}

  /**
   * Relative, {@code /}-separated, no empty, {@code .} or {@code ..} segment, no backslash, colon,
   * NUL or other control character, at most {@link PackageLimits#MAX_PATH_BYTES} bytes of UTF-8.
   */
  public static void requireSafe(String path) throws PackageException {
    if (path == null || path.isEmpty()) {
      throw new PackageException(Reason.UNSAFE_ENTRY, "empty path in package");
    }
    if (path.startsWith("/")) {
      throw new PackageException(Reason.UNSAFE_ENTRY, "absolute path '" + path + "' in package; paths must be relative to the skill folder");
    }
    if (path.getBytes(StandardCharsets.UTF_8).length > PackageLimits.MAX_PATH_BYTES) {
      throw new PackageException(Reason.TOO_LARGE, "path '" + path.substring(0, 40) + "…' is longer than " + PackageLimits.MAX_PATH_BYTES + " bytes");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\' || c == ':') {
        throw new PackageException(Reason.UNSAFE_ENTRY, "path '" + path.replaceAll("\\p{Cntrl}", "?")
            + "' contains a control character, backslash or colon; rename the file");
      }
    }
    for (String seg : path.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
        throw new PackageException(Reason.UNSAFE_ENTRY, "path '" + path + "' has an empty, '.' or '..' segment (path traversal refused)");
      }
    }
  }

  /** Byte order of the UTF-8 encodings: the same on every platform and locale. */
  public static int compare(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
