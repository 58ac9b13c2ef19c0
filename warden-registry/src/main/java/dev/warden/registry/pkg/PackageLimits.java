package dev.warden.registry.pkg;

/**
 * Bounds on packages, which come from strangers. Archives are uncompressed tar, so the unpacked size
 * can never exceed the archive size: the zip-bomb ratio is 1 by construction, and these limits cap
 * the absolute amounts.
 */
public final class PackageLimits {
  /** Largest archive accepted, in bytes. */
  public static final int MAX_ARCHIVE_BYTES = 16 * 1024 * 1024;

  /** Largest single file inside a package, in bytes. */
  public static final int MAX_FILE_BYTES = 8 * 1024 * 1024;

  /** Largest total of all files in a package once unpacked, in bytes. */
  public static final long MAX_UNPACKED_BYTES = MAX_ARCHIVE_BYTES;

  /** Most files in one package. */
  public static final int MAX_FILES = 2_000;

  /** Longest path inside a package, in bytes of UTF-8. */
  public static final int MAX_PATH_BYTES = 240;

  /** Largest manifest accepted, in bytes. */
  public static final int MAX_MANIFEST_BYTES = 1024 * 1024;

  /** Largest signature document accepted, in bytes. */
  public static final int MAX_SIGNATURE_BYTES = 8 * 1024;

  private PackageLimits() {}
}
