package dev.warden.registry.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.kernel.Hashing;
import dev.warden.registry.pkg.PackageException.Reason;
import dev.warden.registry.pkg.internal.CanonicalJson;
import dev.warden.registry.pkg.internal.PackagePaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a package claims to contain; the publisher signs its {@link #canonicalBytes()}.
 *
 * <p>Invariants (checked when built): the name is a slug, the version a plain version string,
 * {@code files} sorted by {@link PackagePaths#compare} with no duplicates, every path safe, every
 * hash 64 lower-case hex characters. Parsing accepts only the canonical form, so one manifest has
 * exactly one byte representation and one hash.
 */
public record PackageManifest(
    String format,
    String name,
    String version,
    String description,
    String publisher,
    String publisherKeyId,
    String archiveSha256,
    List<FileEntry> files) {

  public static final String FORMAT = "warden-skill-package/1";

  /** Skill names (and registry slugs): lower-case letters, digits and hyphens, 1–64 characters. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  /** Versions: start with a digit, then letters, digits, {@code . + -}; up to 64 characters. */
  public static final Pattern VERSION = Pattern.compile("[0-9][0-9A-Za-z.+-]{0,63}");

  /** Longest description kept, in characters. */
  public static final int MAX_DESCRIPTION_CHARS = 1024;

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  /** One file: its path in the package, size in bytes, SHA-256, and whether it is executable. */
  public record FileEntry(String path, long size, String sha256, boolean executable) {
    public FileEntry {
      Objects.requireNonNull(path, "path");
      if (size < 0) {
        throw new IllegalArgumentException("negative size for " + path);
      }
      requireSha256(sha256, "sha256 of " + path);
    }
  }

  public PackageManifest {
    if (!FORMAT.equals(format)) {
      throw new IllegalArgumentException("unsupported package format '" + format + "', this Warden reads " + FORMAT);
    }
    requireName(name);
    requireVersion(version);
    Objects.requireNonNull(description, "description");
    if (description.length() > MAX_DESCRIPTION_CHARS) {
      throw new IllegalArgumentException("description is longer than " + MAX_DESCRIPTION_CHARS + " characters");
    }
    PublisherKey.requirePublisherName(publisher);
    requireSha256(publisherKeyId, "publisherKeyId");
    requireSha256(archiveSha256, "archiveSha256");
    files = List.copyOf(files);
    if (files.size() > PackageLimits.MAX_FILES) {
      throw new IllegalArgumentException("manifest lists more than " + PackageLimits.MAX_FILES + " files");
    }
    String prev = null;
    for (FileEntry f : files) {
      try {
        PackagePaths.requireSafe(f.path());
      } catch (PackageException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      if (prev != null && PackagePaths.compare(prev, f.path()) >= 0) {
        throw new IllegalArgumentException("manifest files must be sorted and unique: '" + prev + "' then '" + f.path() + "'");
      }
      prev = f.path();
    }
  }

  public static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("skill name '" + name + "' must match " + NAME.pattern());
    }
  }

  public static void requireVersion(String version) {
    if (version == null || !VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException("version '" + version + "' must match " + VERSION.pattern());
    }
  }

  private static void requireSha256(String hex, String what) {
    if (hex == null || !SHA256_HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException(what + " must be 64 lower-case hex characters, got '" + hex + "'");
    }
  }

  public byte[] canonicalBytes() {
    List<Object> fs = new ArrayList<>();
    for (FileEntry f : files) {
      fs.add(Map.of("path", f.path(), "size", f.size(), "sha256", f.sha256(), "executable", f.executable()));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", format);
    m.put("name", name);
    m.put("version", version);
    m.put("description", description);
    m.put("publisher", publisher);
    m.put("publisherKeyId", publisherKeyId);
    m.put("archiveSha256", archiveSha256);
    m.put("files", fs);
    return CanonicalJson.write(m);
  }

  /** SHA-256 of the canonical bytes: the value the transparency log and {@code skills.lock} record. */
  public String sha256() {
    return Hashing.sha256Hex(canonicalBytes());
  }

  public long totalSize() {
    return files.stream().mapToLong(FileEntry::size).sum();
  }

  /** Parses canonical manifest bytes; anything else is {@link Reason#TAMPERED_MANIFEST}. */
  public static PackageManifest parse(byte[] bytes) throws PackageException {
    if (bytes.length > PackageLimits.MAX_MANIFEST_BYTES) {
      throw new PackageException(Reason.TOO_LARGE, "manifest is " + bytes.length + " bytes, over the limit of " + PackageLimits.MAX_MANIFEST_BYTES);
    }
    try {
      JsonNode n = CanonicalJson.requireCanonical(bytes);
      List<FileEntry> files = new ArrayList<>();
      for (JsonNode f : n.path("files")) {
        files.add(new FileEntry(text(f, "path"), f.path("size").asLong(-1), text(f, "sha256"), f.path("executable").asBoolean()));
      }
      PackageManifest m = new PackageManifest(text(n, "format"), text(n, "name"), text(n, "version"),
          text(n, "description"), text(n, "publisher"), text(n, "publisherKeyId"), text(n, "archiveSha256"), files);
      if (!java.util.Arrays.equals(m.canonicalBytes(), bytes)) {
        throw new IOException("manifest has fields this Warden does not know");
      }
      return m;
    } catch (IOException | IllegalArgumentException e) {
      throw new PackageException(Reason.TAMPERED_MANIFEST, "manifest is not a valid canonical " + FORMAT + " document: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode n, String field) throws IOException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IOException("missing or non-text field '" + field + "'");
    }
    return v.asText();
  }
}
