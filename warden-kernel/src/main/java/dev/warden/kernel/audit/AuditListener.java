package dev.warden.kernel.audit;

/**
 * Told about each record after it is durable (event store, detections, the dashboard's live feed).
 *
 * <p>Contract: called on the appending thread, in seq order; must be fast, must not throw, and
 * must not call back into the kernel (hand work to another thread instead).
 */
@FunctionalInterface
public interface AuditListener {
  void onAppended(AuditRecord record);

  AuditListener NONE = r -> {};
}
