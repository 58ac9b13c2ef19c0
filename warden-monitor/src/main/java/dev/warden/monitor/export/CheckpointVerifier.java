package dev.warden.monitor.export;

import dev.warden.kernel.AgentKey;
import dev.warden.kernel.audit.AuditException;
import dev.warden.kernel.audit.AuditHead;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.kernel.audit.AuditStore;
import dev.warden.monitor.internal.MonitorJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checks a local audit log against checkpoints and heads exported earlier ({@code warden audit
 * verify --against FILE}).
 *
 * <h2>Threat</h2>
 * Someone who controls {@code WARDEN_HOME} holds the agent key, so they can rewrite the local log
 * into a new, internally valid chain: {@code warden audit verify} alone passes. The exported
 * checkpoints were sent off the host before the rewrite; each pins {@code (seq, hash)} under the
 * agent's signature, so the rewritten log contradicts the first exported checkpoint that covers a
 * rewritten record.
 *
 * <p>The export file is untrusted input: an exported checkpoint or head whose signature does not
 * verify with the given key is reported as such (the file was altered or is another agent's), never
 * used as evidence against the log.
 */
public final class CheckpointVerifier {

  /** Lines longer than this in an export file are skipped (an OCSF event is a few KiB). */
  public static final int MAX_LINE_CHARS = 1024 * 1024;

  private CheckpointVerifier() {}

  /** What an exported pin says: record {@code seq} has hash {@code hash}. */
  private record Pin(long seq, String hash, String what, boolean signed) {}

  /**
   * @param ok no exported checkpoint or head contradicts the local log
   * @param checkpointsChecked exported signed checkpoints compared
   * @param headsChecked exported heads compared
   * @param firstContradictedSeq the audit seq of the first exported pin that the local log
   *     contradicts (0 when ok)
   * @param problem what differs, for people
   */
  public record Result(boolean ok, int checkpointsChecked, int headsChecked, long firstContradictedSeq, String problem) {
    public String summary() {
      return ok
          ? "local audit log agrees with " + checkpointsChecked + " exported checkpoints and " + headsChecked + " exported heads"
          : "local audit log CONTRADICTS the export: " + problem;
    }
  }

  /**
   * @param exported an exported JSON Lines file, or a directory whose {@code *.jsonl} files are all read
   */
  public static Result verifyAgainst(AuditStore store, PublicKey key, Path exported) throws IOException, AuditException {
    List<Pin> pins = new ArrayList<>();
    int[] counts = new int[2];
    String badSignature = null;
    long badSignatureSeq = 0;
    for (Path f : files(exported)) {
      try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.isBlank() || line.length() > MAX_LINE_CHARS) {
            continue;
          }
          Map<String, Object> doc;
          try {
            doc = MonitorJson.readMap(line);
          } catch (IllegalArgumentException e) {
            continue;
          }
          Object type = MonitorJson.at(doc, "unmapped.warden.record_type");
          if ("checkpoint".equals(type)) {
            long seq = asLong(MonitorJson.at(doc, "unmapped.warden.seq"));
            String hash = str(MonitorJson.at(doc, "unmapped.warden.hash"));
            long coversSeq = asLong(MonitorJson.at(doc, "unmapped.warden.body.covers_seq"));
            String coversHash = str(MonitorJson.at(doc, "unmapped.warden.body.covers_hash"));
            String sig = str(MonitorJson.at(doc, "unmapped.warden.body.signature"));
            if (!signed(key, coversSeq, coversHash, sig)) {
              if (badSignature == null) {
                badSignature = "exported checkpoint at record " + seq + " is not signed by agent key "
                    + AgentKey.keyId(key) + " (the export was altered, or it belongs to another agent)";
                badSignatureSeq = seq;
              }
              continue;
            }
            counts[0]++;
            pins.add(new Pin(coversSeq, coversHash, "exported checkpoint at record " + seq + " (covering record " + coversSeq + ")", true));
            if (seq > 0 && hash != null) {
              pins.add(new Pin(seq, hash, "exported checkpoint record " + seq, true));
            }
          } else if ("head".equals(type)) {
            long seq = asLong(MonitorJson.at(doc, "unmapped.warden.head_seq"));
            String hash = str(MonitorJson.at(doc, "unmapped.warden.head_hash"));
            String sig = str(MonitorJson.at(doc, "unmapped.warden.signature"));
            if (sig != null && !signed(key, seq, hash, sig)) {
              if (badSignature == null) {
                badSignature = "exported head at record " + seq + " carries a signature that does not verify with agent key "
                    + AgentKey.keyId(key);
                badSignatureSeq = seq;
              }
              continue;
            }
            counts[1]++;
            pins.add(new Pin(seq, hash, (sig != null ? "exported signed head" : "exported unsigned head") + " at record " + seq,
                sig != null));
          }
        }
      }
    }
    pins.sort(Comparator.comparingLong(Pin::seq));
    long localLast = store.last().map(AuditRecord::seq).orElse(0L);
    for (Pin p : pins) {
      if (p.seq() < 1 || p.hash() == null) {
        continue;
      }
      if (p.seq() > localLast) {
        return new Result(false, counts[0], counts[1], p.seq(), p.what() + " pins record " + p.seq()
            + " but the local log ends at record " + localLast + ": the local log was truncated or rolled back");
      }
      Optional<AuditRecord> local = store.after(p.seq() - 1, 1).stream().filter(x -> x.seq() == p.seq()).findFirst();
      if (local.isEmpty()) {
        return new Result(false, counts[0], counts[1], p.seq(), p.what() + " pins record " + p.seq()
            + " which is missing from the local log");
      }
      if (!local.get().hash().equals(p.hash())) {
        return new Result(false, counts[0], counts[1], p.seq(), p.what() + " says record " + p.seq() + " has hash "
            + abbreviate(p.hash()) + " but the local record's hash is " + abbreviate(local.get().hash())
            + ": the local log was rewritten at or before record " + p.seq());
      }
    }
    if (badSignature != null) {
      return new Result(false, counts[0], counts[1], badSignatureSeq, badSignature);
    }
    return new Result(true, counts[0], counts[1], 0, "");
  }

  private static boolean signed(PublicKey key, long seq, String hash, String sigB64) {
    if (seq < 1 || hash == null || sigB64 == null) {
      return false;
    }
    try {
      return AgentKey.verify(key, AuditHead.signedBytes(seq, hash), Base64.getDecoder().decode(sigB64));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static List<Path> files(Path exported) throws IOException {
    if (!Files.exists(exported)) {
      throw new IOException("no exported events at " + exported + "; pass the JSONL file (or the directory) "
          + "your collector keeps, e.g. WARDEN_HOME/exports on the shipping host");
    }
    if (!Files.isDirectory(exported)) {
      return List.of(exported);
    }
    try (Stream<Path> s = Files.list(exported)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    }
  }

  private static long asLong(Object o) {
    if (o instanceof Number n) {
      return n.longValue();
    }
    try {
      return o == null ? 0 : Long.parseLong(o.toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }

  private static String abbreviate(String hash) {
    return hash.length() > 16 ? hash.substring(0, 16) + "…" : hash;
  }
}
