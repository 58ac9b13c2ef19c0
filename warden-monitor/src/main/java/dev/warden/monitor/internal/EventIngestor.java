package dev.warden.monitor.internal;

import dev.warden.kernel.audit.AuditListener;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.monitor.events.OcsfMapper;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * The monitor's {@link AuditListener}: hands each appended record to a bounded queue and returns.
 * One writer thread drains the queue in batches into the {@link IngestPipeline}.
 *
 * <h2>Design notes</h2>
 * <b>Never blocks the kernel.</b> {@link #onAppended} is a non-blocking {@code offer}; it cannot
 * throw and does not call back into the kernel (the {@link AuditListener} contract).
 *
 * <p><b>Overflow.</b> When the queue is full the record is dropped from the queue and counted. The
 * writer then raises a {@code monitor/ingest_overflow} event (which the built-in detection turns
 * into a HIGH alert), and the next record it ingests is past a gap, which the pipeline reads back
 * from the audit log: nothing is lost from events.db, only delayed. Without an audit store attached
 * the gap stays until the next backfill (restart).
 */
public final class EventIngestor implements AuditListener, AutoCloseable {

  /** How long the writer waits for more records to fill a batch once one has arrived. */
  public static final long BATCH_LINGER_MILLIS = 20;

  private final IngestPipeline pipeline;
  private final BoundedWorker<AuditRecord> worker;
  private final InstantSource clock;
  private final int capacity;
  private long reportedDrops;

  public EventIngestor(IngestPipeline pipeline, int capacity, int batchMax, InstantSource clock) {
    this.pipeline = pipeline;
    this.clock = clock;
    this.capacity = capacity;
    this.worker = new BoundedWorker<>("warden-monitor-ingest", capacity, batchMax, BATCH_LINGER_MILLIS, this::write);
  }

  @Override
  public void onAppended(AuditRecord record) {
    worker.offer(record);
  }

  private void write(List<AuditRecord> batch) {
    long drops = worker.dropped();
    boolean overflowed = drops > reportedDrops;
    if (overflowed) {
      long n = drops - reportedDrops;
      reportedDrops = drops;
      pipeline.monitorEvent(OcsfMapper.monitor(clock.instant(), "ingest_overflow", OcsfMapper.SEVERITY_HIGH,
          n + " audit records did not fit the monitor's ingest queue", Map.of(
              "dropped", n,
              "dropped_total", drops,
              "queue_capacity", capacity,
              "detail", n + " audit records overflowed the ingest queue (capacity " + capacity + "); they are read back "
                  + "from the audit log when it is attached, else at the next start (monitor.queue_capacity)")));
    }
    pipeline.process(batch);
    if (overflowed) {
      pipeline.catchUp(); // the dropped records may have been the last ones: read them back now
    }
  }

  public long dropped() {
    return worker.dropped();
  }

  public int pending() {
    return worker.pending();
  }

  /** Waits until every record offered so far has been through the pipeline. */
  public boolean flush(long timeoutMillis) {
    return worker.drain(timeoutMillis);
  }

  @Override
  public void close() {
    worker.close();
  }
}
