package dev.warden.monitor.snapshot;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One item of a snapshot: a file of WARDEN_HOME (path relative to the home, {@code /}-separated)
 * or a virtual document ({@link #CRON}, {@link #CREDENTIALS}) exported from state.db or the vault.
 *
 * @param path home-relative path, or a virtual name starting with {@code :}
 * @param sha256 hex SHA-256 of the content (the blob's address)
 * @param size content length in bytes
 * @param mode POSIX permission bits in octal ({@code 0644}); {@code ""} for virtual entries
 */
public record SnapshotEntry(String path, String sha256, long size, String mode) {

  /** Cron jobs from state.db as one canonical JSON document. */
  public static final String CRON = ":cron";
  /** Credential names and bindings (never values) as one canonical JSON document. */
  public static final String CREDENTIALS = ":credentials";

  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern MODE = Pattern.compile("|0[0-7]{3}");

  public SnapshotEntry {
    Objects.requireNonNull(path, "path");
    if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
      throw new IllegalArgumentException("snapshot entry path must be home-relative: '" + path + "'");
    }
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new IllegalArgumentException("snapshot entry path has an empty, '.' or '..' segment: '" + path + "'");
      }
    }
    if (sha256 == null || !HEX64.matcher(sha256).matches()) {
      throw new IllegalArgumentException("snapshot entry " + path + " has no valid sha256");
    }
    if (size < 0) {
      throw new IllegalArgumentException("snapshot entry " + path + " has a negative size");
    }
    if (mode == null || !MODE.matcher(mode).matches()) {
      throw new IllegalArgumentException("snapshot entry " + path + " has a bad mode '" + mode + "'");
    }
  }

  public boolean isVirtual() {
    return path.startsWith(":");
  }
}
