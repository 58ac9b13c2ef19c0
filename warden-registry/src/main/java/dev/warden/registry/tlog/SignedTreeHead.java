package dev.warden.registry.tlog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.registry.pkg.PublisherKey;
import dev.warden.registry.pkg.PublisherKeyPair;
import dev.warden.registry.pkg.Signatures;
import dev.warden.registry.pkg.internal.CanonicalJson;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A tree head signed by the registry's log key: "the log had {@code treeSize} entries with root
 * {@code rootHash} at {@code timestamp}". The signed bytes carry a format tag of their own so that
 * a head signature can never be confused with a package signature.
 */
public record SignedTreeHead(long treeSize, byte[] rootHash, Instant timestamp, String logKeyId, byte[] signature) {
  public static final String FORMAT = "warden-tree-head/1";

  /** Largest tree head document accepted, in bytes. */
  public static final int MAX_JSON_BYTES = 8 * 1024;

  public SignedTreeHead {
    if (treeSize < 0) {
      throw new IllegalArgumentException("negative tree size");
    }
    if (rootHash == null || rootHash.length != MerkleTree.HASH_BYTES) {
      throw new IllegalArgumentException("root hash must be " + MerkleTree.HASH_BYTES + " bytes");
    }
    rootHash = rootHash.clone();
    timestamp = Instant.ofEpochMilli(Objects.requireNonNull(timestamp).toEpochMilli());
    Objects.requireNonNull(logKeyId, "logKeyId");
    signature = Objects.requireNonNull(signature, "signature").clone();
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  public String rootHashHex() {
    return HexFormat.of().formatHex(rootHash);
  }

  public static SignedTreeHead sign(long treeSize, byte[] rootHash, Instant timestamp, PublisherKeyPair logKey) {
    byte[] body = signedBytes(treeSize, rootHash, timestamp, logKey.keyId());
    return new SignedTreeHead(treeSize, rootHash, timestamp, logKey.keyId(), logKey.sign(body));
  }

  static byte[] signedBytes(long treeSize, byte[] rootHash, Instant timestamp, String logKeyId) {
    return CanonicalJson.write(Map.of(
        "format", FORMAT,
        "treeSize", treeSize,
        "rootHash", HexFormat.of().formatHex(rootHash),
        "timestampMillis", timestamp.toEpochMilli(),
        "logKeyId", logKeyId));
  }

  public boolean verifies(PublicKey logKey) {
    return PublisherKey.keyIdOf(logKey).equals(logKeyId)
        && Signatures.verify(logKey, signedBytes(treeSize, rootHash, timestamp, logKeyId), signature);
  }

  /** Same tree: same size and same root (timestamps and signatures may differ). */
  public boolean sameTreeAs(SignedTreeHead other) {
    return treeSize == other.treeSize && java.security.MessageDigest.isEqual(rootHash, other.rootHash);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("treeSize", treeSize);
    m.put("rootHash", rootHashHex());
    m.put("timestampMillis", timestamp.toEpochMilli());
    m.put("logKeyId", logKeyId);
    m.put("signature", Base64.getEncoder().encodeToString(signature));
    return m;
  }

  public byte[] toJson() {
    return CanonicalJson.write(toMap());
  }

  public static SignedTreeHead fromJson(JsonNode n) throws LogException {
    try {
      return new SignedTreeHead(n.path("treeSize").asLong(-1), HexFormat.of().parseHex(n.path("rootHash").asText()),
          Instant.ofEpochMilli(n.path("timestampMillis").asLong()), n.path("logKeyId").asText(),
          Base64.getDecoder().decode(n.path("signature").asText()));
    } catch (IllegalArgumentException e) {
      throw new LogException(LogException.Reason.MALFORMED, "tree head is malformed: " + e.getMessage(), e);
    }
  }

  public static SignedTreeHead parse(byte[] json) throws LogException {
    if (json.length > MAX_JSON_BYTES) {
      throw new LogException(LogException.Reason.MALFORMED, "tree head is " + json.length + " bytes, over " + MAX_JSON_BYTES);
    }
    try {
      return fromJson(CanonicalJson.read(json));
    } catch (IOException e) {
      throw new LogException(LogException.Reason.MALFORMED, "tree head is not JSON: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "SignedTreeHead[size " + treeSize + ", root " + rootHashHex() + ", at " + timestamp + "]";
  }
}
