package dev.warden.monitor.detect;

/**
 * Told about every new alert and every repeat of an open one ({@link Alert#isNew()} tells which).
 *
 * <p>Contract: called on the monitor's ingestion thread; must be fast, must not throw and must not
 * call back into the kernel — hand the alert to another thread (the dashboard's push, the owner's
 * chat) instead. A listener that throws is counted and skipped.
 */
@FunctionalInterface
public interface AlertListener {
  void onAlert(Alert alert);

  AlertListener NONE = a -> {};
}
