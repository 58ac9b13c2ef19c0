package dev.warden.kernel.audit;

import dev.warden.kernel.AgentKey;
import java.security.PublicKey;
import java.util.Base64;

/**
 * Checks an audit log end to end: contiguous sequence numbers, every hash recomputed, every link,
 * every checkpoint signature, and the signed head file (truncation). Reports the first bad record.
 */
public final class AuditVerifier {

  /** The verdict: {@code ok}, how many records were read, and the first problem found. */
  public record Result(boolean ok, long records, long checkpoints, long firstBadSeq, String problem) {
    public static Result intact(long records, long checkpoints) {
      return new Result(true, records, checkpoints, 0, "");
    }

    public String summary() {
      return ok
          ? "audit log intact: " + records + " records, " + checkpoints + " signed checkpoints"
          : "audit log FAILED verification at record " + firstBadSeq + ": " + problem;
    }
  }

  private AuditVerifier() {}

  public static Result verify(AuditStore store, PublicKey key, AuditHead headFileOrNull) {
    AuditHead headOrNull = headFileOrNull;
    if (store.storesHead()) {
      try {
        headOrNull = store.head().orElse(null);
      } catch (AuditException e) {
        return new Result(false, 0, 0, 1, "signed head unreadable: " + e.getMessage());
      }
      if (headOrNull == null) {
        try {
          if (store.last().isPresent()) {
            return new Result(false, 0, 0, 1, "the signed audit head is missing from the store (deleted?)");
          }
        } catch (AuditException e) {
          return new Result(false, 0, 0, 1, "store unreadable: " + e.getMessage());
        }
      }
    }
    return verifyAgainst(store, key, headOrNull);
  }

  private static Result verifyAgainst(AuditStore store, PublicKey key, AuditHead headOrNull) {
    final long[] count = {0};
    final long[] checkpoints = {0};
    final long[] expectedSeq = {1};
    final String[] prev = {AuditRecord.GENESIS};
    final Result[] bad = {null};
    final String[] hashAtHead = {null};
    try {
      store.forEach(r -> {
        if (bad[0] != null) {
          return;
        }
        count[0]++;
        if (r.seq() != expectedSeq[0]) {
          bad[0] = fail(count, checkpoints, expectedSeq[0], r.seq() > expectedSeq[0]
              ? "record " + expectedSeq[0] + " is missing (next stored record is " + r.seq() + "): deleted"
              : "record " + r.seq() + " is out of order (expected " + expectedSeq[0] + "): reordered or duplicated");
          return;
        }
        if (!r.prev().equals(prev[0])) {
          bad[0] = fail(count, checkpoints, r.seq(), "link broken: prev hash does not match record "
              + (r.seq() - 1) + " (a record was removed, inserted, reordered or edited)");
          return;
        }
        if (!r.recomputeHash().equals(r.hash())) {
          bad[0] = fail(count, checkpoints, r.seq(), "content does not match its hash (record edited)");
          return;
        }
        if (AuditRecord.Type.CHECKPOINT.equals(r.type())) {
          checkpoints[0]++;
          String problem = checkCheckpoint(r, key, prev[0], r.seq() - 1);
          if (problem != null) {
            bad[0] = fail(count, checkpoints, r.seq(), problem);
            return;
          }
        }
        if (headOrNull != null && r.seq() == headOrNull.seq()) {
          hashAtHead[0] = r.hash();
        }
        prev[0] = r.hash();
        expectedSeq[0]++;
      });
    } catch (AuditException | RuntimeException e) {
      return fail(count, checkpoints, expectedSeq[0], "store unreadable: " + e.getMessage());
    }
    if (bad[0] != null) {
      return bad[0];
    }
    if (headOrNull != null) {
      if (!headOrNull.verifies(key)) {
        return fail(count, checkpoints, headOrNull.seq(), "the signature of the audit head does not verify");
      }
      if (headOrNull.seq() > expectedSeq[0] - 1) {
        return fail(count, checkpoints, expectedSeq[0], "log truncated: the signed head is at record " + headOrNull.seq()
            + " but the log ends at record " + (expectedSeq[0] - 1));
      }
      if (hashAtHead[0] != null && !hashAtHead[0].equals(headOrNull.hash())) {
        return fail(count, checkpoints, headOrNull.seq(), "record " + headOrNull.seq() + " differs from the signed head");
      }
    }
    return Result.intact(count[0], checkpoints[0]);
  }

  private static String checkCheckpoint(AuditRecord r, PublicKey key, String prevHash, long prevSeq) {
    Object coversSeq = r.field("covers_seq");
    if (coversSeq == null || Long.parseLong(coversSeq.toString()) != prevSeq
        || !prevHash.equals(r.fieldString("covers_hash"))) {
      return "checkpoint does not cover the record before it";
    }
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(r.fieldString("signature"));
    } catch (IllegalArgumentException e) {
      return "checkpoint signature is not base64";
    }
    if (!AgentKey.verify(key, AuditHead.signedBytes(prevSeq, prevHash), sig)) {
      return "checkpoint signature does not verify with the agent key " + AgentKey.keyId(key);
    }
    return null;
  }

  private static Result fail(long[] count, long[] checkpoints, long seq, String problem) {
    return new Result(false, count[0], checkpoints[0], seq, problem);
  }
}
