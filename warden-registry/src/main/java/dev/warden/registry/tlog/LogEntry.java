package dev.warden.registry.tlog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.registry.pkg.PackageManifest;
import dev.warden.registry.pkg.internal.CanonicalJson;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One published version, as recorded in the transparency log. The leaf data is
 * {@link #canonicalBytes()}; times are kept to the millisecond so that they survive the round trip.
 */
public record LogEntry(String skill, String version, String manifestSha256, String publisherKeyId, Instant publishedAt) {
  public static final String FORMAT = "warden-log-entry/1";

  /** Largest entry accepted, in bytes. */
  public static final int MAX_ENTRY_BYTES = 4 * 1024;

  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  public LogEntry {
    PackageManifest.requireName(skill);
    PackageManifest.requireVersion(version);
    if (manifestSha256 == null || !HEX64.matcher(manifestSha256).matches()) {
      throw new IllegalArgumentException("manifestSha256 must be 64 hex characters");
    }
    if (publisherKeyId == null || !HEX64.matcher(publisherKeyId).matches()) {
      throw new IllegalArgumentException("publisherKeyId must be 64 hex characters");
    }
    publishedAt = Instant.ofEpochMilli(Objects.requireNonNull(publishedAt, "publishedAt").toEpochMilli());
  }

  public static LogEntry of(PackageManifest m, Instant at) {
    return new LogEntry(m.name(), m.version(), m.sha256(), m.publisherKeyId(), at);
  }

  public byte[] canonicalBytes() {
    return CanonicalJson.write(Map.of(
        "format", FORMAT,
        "skill", skill,
        "version", version,
        "manifestSha256", manifestSha256,
        "publisherKeyId", publisherKeyId,
        "publishedAtMillis", publishedAt.toEpochMilli()));
  }

  public byte[] leafHash() {
    return MerkleTree.leafHash(canonicalBytes());
  }

  public static LogEntry parse(byte[] bytes) throws LogException {
    if (bytes.length > MAX_ENTRY_BYTES) {
      throw new LogException(LogException.Reason.MALFORMED, "log entry is " + bytes.length + " bytes, over " + MAX_ENTRY_BYTES);
    }
    try {
      JsonNode n = CanonicalJson.requireCanonical(bytes);
      if (!FORMAT.equals(n.path("format").asText())) {
        throw new IOException("format is not " + FORMAT);
      }
      LogEntry e = new LogEntry(n.path("skill").asText(), n.path("version").asText(), n.path("manifestSha256").asText(),
          n.path("publisherKeyId").asText(), Instant.ofEpochMilli(n.path("publishedAtMillis").asLong()));
      if (!java.util.Arrays.equals(e.canonicalBytes(), bytes)) {
        throw new IOException("unexpected fields");
      }
      return e;
    } catch (IOException | IllegalArgumentException e) {
      throw new LogException(LogException.Reason.MALFORMED, "log entry is not a valid " + FORMAT + " document: " + e.getMessage(), e);
    }
  }
}
