package dev.warden.monitor.export;

import dev.warden.monitor.events.OcsfEvent;
import dev.warden.monitor.internal.BoundedWorker;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every event as an RFC 5424 message (MSGID = the record type, structured data with the indexed
 * fields, MSG = the OCSF JSON). Sent from its own thread through a bounded queue; a message that
 * cannot be sent is dropped and counted (TCP reconnects on the next message).
 */
public final class SyslogExporter implements EventExporter {

  /** Events waiting to be sent; beyond this new events are dropped (counted). */
  public static final int QUEUE_CAPACITY_EVENTS = 50_000;
  /** Events the sender thread takes from the queue at a time. */
  public static final int BATCH_EVENTS = 256;

  private final Syslog syslog;
  private final BoundedWorker<OcsfEvent> worker;
  private final AtomicLong dropped = new AtomicLong();

  public SyslogExporter(Syslog.Config config) {
    this.syslog = new Syslog(config);
    this.worker = new BoundedWorker<>("warden-syslog-export", QUEUE_CAPACITY_EVENTS, BATCH_EVENTS, 0, this::send);
  }

  @Override
  public String name() {
    return "syslog";
  }

  @Override
  public void export(List<OcsfEvent> events) {
    for (OcsfEvent e : events) {
      worker.offer(e);
    }
  }

  private void send(List<OcsfEvent> batch) {
    for (OcsfEvent e : batch) {
      try {
        syslog.send(e.time(), syslogSeverity(e.severityId()), e.recordType(), sd(e), e.json());
      } catch (IOException ex) {
        dropped.incrementAndGet();
      }
    }
  }

  static Map<String, String> sd(OcsfEvent e) {
    Map<String, String> sd = new LinkedHashMap<>();
    if (e.seqOrZero() > 0) {
      sd.put("seq", Long.toString(e.seqOrZero()));
    }
    sd.put("class_uid", Integer.toString(e.ocsfClass().uid));
    sd.put("severity_id", Integer.toString(e.severityId()));
    sd.put("principal", e.principal());
    sd.put("session", e.sessionOrNull());
    sd.put("action", e.actionOrNull());
    sd.put("verdict", e.verdictOrNull());
    sd.put("rule", e.ruleOrNull());
    return sd;
  }

  /** OCSF severity_id to RFC 5424 severity (6 informational … 2 critical). */
  public static int syslogSeverity(int ocsfSeverityId) {
    return switch (ocsfSeverityId) {
      case 0, 1 -> 6;
      case 2 -> 5;
      case 3 -> 4;
      case 4 -> 3;
      case 5 -> 2;
      default -> 1;
    };
  }

  @Override
  public long dropped() {
    return dropped.get() + worker.dropped();
  }

  @Override
  public boolean flush(long timeoutMillis) {
    return worker.drain(timeoutMillis);
  }

  @Override
  public void close() {
    worker.close();
    syslog.close();
  }
}
