package dev.warden.kernel.audit;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Durable storage of audit records. {@link #append} returns only once the record is durable
 * (survives kill -9 and power loss as far as the storage can promise), because the kernel appends
 * decisions <em>before</em> it acts.
 */
public interface AuditStore extends AutoCloseable {

  void append(AuditRecord record) throws AuditException;

  /**
   * Whether this store keeps the signed head itself, in the same transaction as each record (one
   * durable write per append instead of a record plus a head file).
   */
  default boolean storesHead() {
    return false;
  }

  /** Appends {@code record} and replaces the stored head with {@code head}, atomically. */
  default void append(AuditRecord record, AuditHead head) throws AuditException {
    append(record);
  }

  /** The stored signed head, if this store keeps one. */
  default Optional<AuditHead> head() throws AuditException {
    return Optional.empty();
  }

  Optional<AuditRecord> last() throws AuditException;

  /** Every record in ascending {@code seq} order, as stored (verification reads this). */
  void forEach(Consumer<AuditRecord> consumer) throws AuditException;

  /** The newest {@code n} records, oldest first. */
  List<AuditRecord> tail(int n) throws AuditException;

  /** Records with seq greater than {@code afterSeq}, oldest first, at most {@code limit}. */
  List<AuditRecord> after(long afterSeq, int limit) throws AuditException;

  @Override
  void close() throws AuditException;
}
