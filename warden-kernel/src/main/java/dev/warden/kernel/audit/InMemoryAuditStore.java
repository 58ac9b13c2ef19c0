package dev.warden.kernel.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Audit store for tests and dry runs ({@code warden policy test}); not durable. */
public final class InMemoryAuditStore implements AuditStore {
  private final List<AuditRecord> records = new ArrayList<>();

  @Override
  public synchronized void append(AuditRecord record) {
    records.add(record);
  }

  @Override
  public synchronized Optional<AuditRecord> last() {
    return records.isEmpty() ? Optional.empty() : Optional.of(records.getLast());
  }

  @Override
  public synchronized void forEach(Consumer<AuditRecord> consumer) {
    List.copyOf(records).forEach(consumer);
  }

  @Override
  public synchronized List<AuditRecord> tail(int n) {
    return List.copyOf(records.subList(Math.max(0, records.size() - n), records.size()));
  }

  @Override
  public synchronized List<AuditRecord> after(long afterSeq, int limit) {
    List<AuditRecord> out = new ArrayList<>();
    for (AuditRecord r : records) {
      if (r.seq() > afterSeq && out.size() < limit) {
        out.add(r);
      }
    }
    return out;
  }

  /** Test hook: the raw list, to tamper with. */
  public synchronized List<AuditRecord> mutableRecords() {
    return records;
  }

  @Override
  public void close() {}
}
