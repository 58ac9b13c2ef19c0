package dev.warden.monitor.export;

import dev.warden.monitor.events.OcsfEvent;
import java.util.List;

/**
 * Sends events off the host (or into files an off-host shipper collects).
 *
 * <p>Contract: {@link #export} is called on the monitor's ingestion thread with each batch, in
 * order; it must not block on the network (queue and return) and must not throw. Events it cannot
 * deliver are counted in {@link #dropped()}.
 */
public interface EventExporter extends AutoCloseable {

  String name();

  void export(List<OcsfEvent> events);

  /** Events given up on (queue full, retries exhausted, I/O error). */
  long dropped();

  /** Waits until everything handed over so far has been delivered or given up on. */
  default boolean flush(long timeoutMillis) {
    return true;
  }

  @Override
  void close();
}
