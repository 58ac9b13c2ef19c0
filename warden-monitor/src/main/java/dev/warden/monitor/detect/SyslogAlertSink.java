package dev.warden.monitor.detect;

import dev.warden.monitor.export.Syslog;
import dev.warden.monitor.internal.BoundedWorker;
import dev.warden.monitor.internal.MonitorJson;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends new alerts as RFC 5424 messages (MSGID {@code alert}, structured data with id, rule,
 * severity, count; MSG the alert JSON). Own thread, bounded queue; failures are counted.
 */
public final class SyslogAlertSink implements AlertListener, AutoCloseable {

  public static final int QUEUE_CAPACITY_ALERTS = 1_000;
  /** Alerts the sender thread takes from the queue at a time. */
  public static final int BATCH_ALERTS = 64;

  private final Syslog syslog;
  private final BoundedWorker<Alert> worker;
  private final AtomicLong dropped = new AtomicLong();

  public SyslogAlertSink(Syslog.Config config) {
    this.syslog = new Syslog(config);
    this.worker = new BoundedWorker<>("warden-alert-syslog", QUEUE_CAPACITY_ALERTS, BATCH_ALERTS, 0, b -> b.forEach(this::send));
  }

  @Override
  public void onAlert(Alert alert) {
    if (alert.isNew()) {
      worker.offer(alert);
    }
  }

  private void send(Alert a) {
    Map<String, String> sd = new LinkedHashMap<>();
    sd.put("id", a.id());
    sd.put("rule", a.rule());
    sd.put("severity", a.severity().lower());
    sd.put("session", a.sessionOrNull());
    sd.put("count", Long.toString(a.count()));
    try {
      syslog.send(a.lastSeen(), a.severity().syslogSeverity, "alert", sd, MonitorJson.write(WebhookAlertSink.json(a)));
    } catch (IOException e) {
      dropped.incrementAndGet();
    }
  }

  public long dropped() {
    return dropped.get() + worker.dropped();
  }

  public boolean flush(long timeoutMillis) {
    return worker.drain(timeoutMillis);
  }

  @Override
  public void close() {
    worker.close();
    syslog.close();
  }
}
