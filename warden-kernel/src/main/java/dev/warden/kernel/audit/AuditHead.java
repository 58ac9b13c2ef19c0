package dev.warden.kernel.audit;

import dev.warden.kernel.AgentKey;
import dev.warden.kernel.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signed head of the chain, kept in a file beside the database ({@code audit.head}). It is
 * rewritten after every durable append, so deleting records from the end of the log (truncation)
 * leaves a head that points past the last record and is caught by verification.
 *
 * <p>Failure: the head is written after the record's commit, so a crash between the two leaves
 * a head one record behind the log, which verifies as intact (never ahead of it).
 */
public record AuditHead(long seq, String hash, String keyId, byte[] signature) {

  public static final String FILE_NAME = "audit.head";

  public static byte[] signedBytes(long seq, String hash) {
    return ("warden-audit-head\n" + seq + "\n" + hash + "\n").getBytes(StandardCharsets.UTF_8);
  }

  public static AuditHead sign(long seq, String hash, AgentKey key) {
    return new AuditHead(seq, hash, key.keyId(), key.sign(signedBytes(seq, hash)));
  }

  public boolean verifies(PublicKey key) {
    return AgentKey.verify(key, signedBytes(seq, hash), signature);
  }

  public void write(Path file, boolean fsync) throws IOException {
    String text = "seq=" + seq + "\nhash=" + hash + "\nkey=" + keyId + "\nsignature="
        + Base64.getEncoder().encodeToString(signature) + "\n";
    AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8), null, fsync);
  }

  /** Reads a head file; null if there is none. */
  public static AuditHead readOrNull(Path file) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    Map<String, String> kv = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        kv.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    try {
      return new AuditHead(Long.parseLong(kv.get("seq")), kv.get("hash"), kv.get("key"),
          Base64.getDecoder().decode(kv.get("signature")));
    } catch (RuntimeException e) {
      throw new IOException("audit head " + file + " is malformed: " + e.getMessage(), e);
    }
  }
}
