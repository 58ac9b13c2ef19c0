package dev.warden.kernel.audit;

import dev.warden.kernel.AgentKey;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The hash-chained, signed audit log.
 *
 * <h2>Design notes</h2>
 * <b>Chain.</b> Each record's hash covers its fields and the previous hash (see {@link AuditRecord}).
 * Every {@link #CHECKPOINT_INTERVAL_RECORDS} records, and on close, a checkpoint record carries an
 * Ed25519 signature by the agent's key over the head it follows. After every append the signed head
 * is kept with the store — in the same SQLite transaction as the record when the store supports it
 * (one durable write per append), else in {@code audit.head} beside it — so truncation is caught.
 *
 * <p><b>Concurrency.</b> Appends are serialised on this object: the chain is a total order.
 * Listeners run on the appending thread after the record is durable.
 *
 * <p><b>Failure.</b> If the store cannot append, {@link #append} throws and the kernel refuses the
 * action (fail closed). A failed head-file write is reported the same way.
 */
public final class AuditLog implements AutoCloseable {

  /** A signed checkpoint is appended after this many records. */
  public static final int CHECKPOINT_INTERVAL_RECORDS = 256;

  private final AuditStore store;
  private final AgentKey key;
  private final InstantSource clock;
  private final Path headFileOrNull;
  private final List<AuditListener> listeners = new CopyOnWriteArrayList<>();
  private long seq;
  private String prev;
  private long sinceCheckpoint;

  public AuditLog(AuditStore store, AgentKey key, InstantSource clock, Path headFileOrNull) throws AuditException {
    this.store = store;
    this.key = key;
    this.clock = clock;
    this.headFileOrNull = headFileOrNull;
    var last = store.last();
    this.seq = last.map(AuditRecord::seq).orElse(0L);
    this.prev = last.map(AuditRecord::hash).orElse(AuditRecord.GENESIS);
  }

  private volatile java.util.function.UnaryOperator<String> redactor = java.util.function.UnaryOperator.identity();

  /**
   * A redaction pass over every string in every record body before it is hashed and stored (the
   * vault's redactor: a secret that reached an action's fields — a model pasting a token into a
   * request body — is recorded as {@code [REDACTED:name]}, never in clear).
   */
  public void setRedactor(java.util.function.UnaryOperator<String> r) {
    this.redactor = r;
  }

  @SuppressWarnings("unchecked")
  private Object redact(Object v) {
    return switch (v) {
      case String str -> redactor.apply(str);
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, x) -> out.put(String.valueOf(k), redact(x)));
        yield out;
      }
      case java.util.Collection<?> c -> c.stream().map(this::redact).toList();
      case null -> null;
      default -> v;
    };
  }

  public void addListener(AuditListener l) {
    listeners.add(l);
  }

  public void removeListener(AuditListener l) {
    listeners.remove(l);
  }

  public AgentKey key() {
    return key;
  }

  public AuditStore store() {
    return store;
  }

  /** Appends one record durably and returns it. */
  public synchronized AuditRecord append(String type, String sessionOrNull, String principal, Map<String, Object> body)
      throws AuditException {
    AuditRecord r = appendOne(type, sessionOrNull, principal, body);
    if (++sinceCheckpoint >= CHECKPOINT_INTERVAL_RECORDS) {
      checkpoint();
    }
    return r;
  }

  /** Appends a signed checkpoint over the current head (no-op on an empty log). */
  public synchronized void checkpoint() throws AuditException {
    if (seq == 0) {
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("covers_seq", seq);
    body.put("covers_hash", prev);
    body.put("key_id", key.keyId());
    body.put("signature", Base64.getEncoder().encodeToString(key.sign(AuditHead.signedBytes(seq, prev))));
    appendOne(AuditRecord.Type.CHECKPOINT, null, "system:warden", body);
    sinceCheckpoint = 0;
  }

  private AuditRecord appendOne(String type, String sessionOrNull, String principal, Map<String, Object> body)
      throws AuditException {
    Instant now = clock.instant();
    @SuppressWarnings("unchecked")
    Map<String, Object> clean = (Map<String, Object>) redact(body);
    AuditRecord r = AuditRecord.create(seq + 1, now, type, sessionOrNull, principal, clean, prev);
    if (store.storesHead()) {
      store.append(r, AuditHead.sign(r.seq(), r.hash(), key));
    } else {
      store.append(r);
    }
    seq = r.seq();
    prev = r.hash();
    if (headFileOrNull != null && !store.storesHead()) {
      try {
        AuditHead.sign(seq, prev, key).write(headFileOrNull, false);
      } catch (IOException e) {
        throw new AuditException("audit record " + seq + " is stored but the head file " + headFileOrNull
            + " could not be written: " + e.getMessage(), e);
      }
    }
    for (AuditListener l : listeners) {
      try {
        l.onAppended(r);
      } catch (RuntimeException ignored) {
        // Listeners must not throw (contract); one that does must not break the chain.
      }
    }
    return r;
  }

  public synchronized long headSeq() {
    return seq;
  }

  public synchronized String headHash() {
    return prev;
  }

  @Override
  public synchronized void close() throws AuditException {
    if (sinceCheckpoint > 0) {
      checkpoint();
    }
    store.close();
  }
}
