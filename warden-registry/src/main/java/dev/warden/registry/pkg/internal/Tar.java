package dev.warden.registry.pkg.internal;

import dev.warden.registry.pkg.PackageException;
import dev.warden.registry.pkg.PackageException.Reason;
import dev.warden.registry.pkg.PackageLimits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The subset of POSIX ustar that Warden packages use: regular files only, mode 0644 or 0755, uid
 * and gid 0, empty owner names, mtime 0, entries in strictly increasing path order, no directory
 * entries, no extensions (pax, GNU long names). Written by hand because that subset is small, makes
 * the output independent of any library's defaults, and lets the reader refuse everything else.
 *
 * <p>Threats: the reader treats the archive as hostile. Every header checksum is checked, every
 * entry type other than a regular file is refused (so no symlink, hardlink or device can be
 * created), every path is checked by {@link PackagePaths}, and the counts and sizes are bounded by
 * {@link PackageLimits} before anything is allocated.
 */
public final class Tar {
  /** Size of a tar block, in bytes. */
  public static final int BLOCK_BYTES = 512;

  public static final int MODE_FILE = 0644;
  public static final int MODE_EXECUTABLE = 0755;

  private static final int NAME_BYTES = 100;
  private static final int PREFIX_BYTES = 155;

  /** One file in the archive. */
  public record Entry(String path, int mode, byte[] content) {}

  private Tar() {}

  public static byte[] write(List<Entry> entries) throws PackageException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String previous = null;
    for (Entry e : entries) {
      if (previous != null && PackagePaths.compare(previous, e.path()) >= 0) {
        throw new IllegalArgumentException("tar entries must be in strictly increasing order: " + previous + ", " + e.path());
      }
      previous = e.path();
      out.writeBytes(header(e));
      out.writeBytes(e.content());
      int pad = (BLOCK_BYTES - e.content().length % BLOCK_BYTES) % BLOCK_BYTES;
      out.writeBytes(new byte[pad]);
    }
    out.writeBytes(new byte[2 * BLOCK_BYTES]);
    return out.toByteArray();
  }

  private static byte[] header(Entry e) throws PackageException {
    if (e.mode() != MODE_FILE && e.mode() != MODE_EXECUTABLE) {
      throw new IllegalArgumentException("mode must be 0644 or 0755");
    }
    byte[] h = new byte[BLOCK_BYTES];
    byte[] path = e.path().getBytes(StandardCharsets.UTF_8);
    byte[] name;
    byte[] prefix = new byte[0];
    if (path.length <= NAME_BYTES) {
      name = path;
    } else {
      int split = -1;
      for (int i = Math.min(path.length - 1, PREFIX_BYTES); i > 0; i--) {
        if (path[i] == '/' && path.length - i - 1 <= NAME_BYTES) {
          split = i;
          break;
        }
      }
      if (split < 0) {
        throw new PackageException(Reason.TOO_LARGE,
            "path " + e.path() + " cannot be stored in a ustar header (name part over " + NAME_BYTES
                + " bytes); shorten the file or directory names");
      }
      prefix = Arrays.copyOfRange(path, 0, split);
      name = Arrays.copyOfRange(path, split + 1, path.length);
    }
    System.arraycopy(name, 0, h, 0, name.length);
    octal(h, 100, 8, e.mode());
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, e.content().length);
    octal(h, 136, 12, 0);
    h[156] = '0';
    System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
    h[263] = '0';
    h[264] = '0';
    System.arraycopy(prefix, 0, h, 345, prefix.length);
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    String chk = String.format("%06o", sum);
    System.arraycopy(chk.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
    h[154] = 0;
    h[155] = ' ';
    return h;
  }

  private static void octal(byte[] h, int off, int len, long value) {
    String s = Long.toOctalString(value);
    String padded = "0".repeat(len - 1 - s.length()) + s;
    System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
    h[off + len - 1] = 0;
  }

  /** Reads an archive produced by {@link #write}, refusing anything outside the subset. */
  public static List<Entry> read(byte[] archive) throws PackageException {
    if (archive.length > PackageLimits.MAX_ARCHIVE_BYTES) {
      throw new PackageException(Reason.TOO_LARGE, "archive is " + archive.length
          + " bytes, over the limit of " + PackageLimits.MAX_ARCHIVE_BYTES + " bytes");
    }
    if (archive.length % BLOCK_BYTES != 0) {
      throw new PackageException(Reason.MALFORMED, "archive length " + archive.length + " is not a multiple of " + BLOCK_BYTES);
    }
    List<Entry> entries = new ArrayList<>();
    long total = 0;
    int pos = 0;
    String previous = null;
    while (true) {
      if (pos + BLOCK_BYTES > archive.length) {
        throw new PackageException(Reason.MALFORMED, "archive ends without the two zero blocks that close a tar file");
      }
      byte[] h = Arrays.copyOfRange(archive, pos, pos + BLOCK_BYTES);
      if (allZero(h)) {
        if (pos + 2 * BLOCK_BYTES != archive.length || !allZero(Arrays.copyOfRange(archive, pos + BLOCK_BYTES, archive.length))) {
          throw new PackageException(Reason.MALFORMED, "archive has data after its end marker");
        }
        return entries;
      }
      pos += BLOCK_BYTES;
      checkChecksum(h, entries.size());
      if (!"ustar\0".equals(new String(h, 257, 6, StandardCharsets.US_ASCII))) {
        throw new PackageException(Reason.MALFORMED, "entry " + entries.size() + " is not a ustar header");
      }
      String path = path(h);
      byte type = h[156];
      if (type != '0' && type != 0) {
        throw new PackageException(Reason.UNSAFE_ENTRY, "archive entry '" + path + "' has type '"
            + describeType(type) + "'; packages may contain regular files only (no links, devices, directories or extension headers)");
      }
      PackagePaths.requireSafe(path);
      if (previous != null && PackagePaths.compare(previous, path) >= 0) {
        throw new PackageException(Reason.UNSAFE_ENTRY, "archive entry '" + path + "' is out of order or duplicated after '" + previous + "'");
      }
      previous = path;
      int mode = (int) parseOctal(h, 100, 8, path);
      if (mode != MODE_FILE && mode != MODE_EXECUTABLE) {
        throw new PackageException(Reason.UNSAFE_ENTRY, "archive entry '" + path + "' has mode " + Integer.toOctalString(mode) + "; only 644 and 755 are allowed");
      }
      long size = parseOctal(h, 124, 12, path);
      if (size > PackageLimits.MAX_FILE_BYTES) {
        throw new PackageException(Reason.TOO_LARGE, "archive entry '" + path + "' is " + size + " bytes, over the per-file limit of " + PackageLimits.MAX_FILE_BYTES);
      }
      total += size;
      if (total > PackageLimits.MAX_UNPACKED_BYTES) {
        throw new PackageException(Reason.TOO_LARGE, "archive unpacks to more than " + PackageLimits.MAX_UNPACKED_BYTES + " bytes");
      }
      if (entries.size() + 1 > PackageLimits.MAX_FILES) {
        throw new PackageException(Reason.TOO_LARGE, "archive has more than " + PackageLimits.MAX_FILES + " files");
      }
      if (pos + size > archive.length) {
        throw new PackageException(Reason.MALFORMED, "archive entry '" + path + "' is truncated");
      }
      byte[] content = Arrays.copyOfRange(archive, pos, pos + (int) size);
      pos += (int) ((size + BLOCK_BYTES - 1) / BLOCK_BYTES * BLOCK_BYTES);
      entries.add(new Entry(path, mode, content));
    }
  }

  private static String describeType(byte type) {
    return switch (type) {
      case '1' -> "hard link";
      case '2' -> "symbolic link";
      case '3', '4' -> "device";
      case '5' -> "directory";
      case '6' -> "fifo";
      case 'x', 'g' -> "pax extended header";
      case 'L', 'K' -> "GNU long name";
      default -> String.valueOf((char) type);
    };
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static void checkChecksum(byte[] h, int index) throws PackageException {
    long stored;
    try {
      stored = Long.parseLong(new String(h, 148, 8, StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
    } catch (NumberFormatException e) {
      throw new PackageException(Reason.MALFORMED, "entry " + index + " has an unreadable header checksum");
    }
    long sum = 0;
    for (int i = 0; i < BLOCK_BYTES; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    if (sum != stored) {
      throw new PackageException(Reason.MALFORMED, "entry " + index + " has a wrong header checksum (archive corrupted)");
    }
  }

  private static long parseOctal(byte[] h, int off, int len, String path) throws PackageException {
    String s = new String(h, off, len, StandardCharsets.US_ASCII).replace("\0", "").trim();
    if (s.isEmpty() || !s.matches("[0-7]{1,11}")) {
      throw new PackageException(Reason.MALFORMED, "archive entry '" + path + "' has an unreadable numeric field");
    }
    return Long.parseLong(s, 8);
  }

  private static String path(byte[] h) throws PackageException {
    String name = cString(h, 0, NAME_BYTES);
    String prefix = cString(h, 345, PREFIX_BYTES);
    String p = prefix.isEmpty() ? name : prefix + "/" + name;
    if (p.isEmpty()) {
      throw new PackageException(Reason.UNSAFE_ENTRY, "archive entry has an empty name");
    }
    return p;
  }

  private static String cString(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.UTF_8);
  }
}
