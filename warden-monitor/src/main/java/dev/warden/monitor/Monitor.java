package dev.warden.monitor;

import dev.warden.kernel.WardenHome;
import dev.warden.kernel.audit.AuditException;
import dev.warden.kernel.audit.AuditListener;
import dev.warden.kernel.audit.AuditLog;
import dev.warden.kernel.audit.AuditStore;
import dev.warden.monitor.detect.Alert;
import dev.warden.monitor.detect.AlertListener;
import dev.warden.monitor.detect.DetectionRule;
import dev.warden.monitor.detect.Detections;
import dev.warden.monitor.detect.SyslogAlertSink;
import dev.warden.monitor.detect.WebhookAlertSink;
import dev.warden.monitor.events.EventStore;
import dev.warden.monitor.events.OcsfMapper;
import dev.warden.monitor.export.EventExporter;
import dev.warden.monitor.export.JsonlExporter;
import dev.warden.monitor.export.OtlpExporter;
import dev.warden.monitor.export.SyslogExporter;
import dev.warden.monitor.hunt.HuntArgs;
import dev.warden.monitor.hunt.HuntRunner;
import dev.warden.monitor.internal.EventIngestor;
import dev.warden.monitor.internal.IngestPipeline;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The monitor: event store, detections, alert sinks and exporters, fed by the audit log.
 *
 * <h2>Use</h2>
 * <pre>
 * Monitor m = Monitor.open(home, MonitorConfig.fromMap(yaml.monitor(), home));
 * m.addAlertListener(dashboard::push);        // fast, non-blocking
 * m.attach(kernel.audit());                    // backfills, then follows live appends
 * …
 * m.close();                                   // before the audit log is closed
 * </pre>
 *
 * <h2>Design notes</h2>
 * <b>Concurrency.</b> The kernel's appending thread only enqueues ({@link EventIngestor}); one
 * writer thread maps, stores, detects and hands batches to exporters; network exporters and alert
 * sinks have their own threads and bounded queues. A slow collector never slows the kernel.
 *
 * <p><b>Failure.</b> The monitor never refuses or delays an action: the audit log is the record,
 * events.db a derived index. Overflow, store errors and exporter failures are counted
 * ({@link #stats()}); overflow also raises an alert and is healed from the audit log.
 */
public final class Monitor implements AutoCloseable {

  /** How long {@link #close} waits for queued events to be written and exported. */
  public static final long CLOSE_FLUSH_MILLIS = 10_000;

  private final WardenHome home;
  private final MonitorConfig config;
  private final InstantSource clock;
  private final EventStore store;
  private final Detections detections;
  private final IngestPipeline pipeline;
  private final EventIngestor ingestor;
  private final List<EventExporter> exporters;
  private final WebhookAlertSink webhookOrNull;
  private final SyslogAlertSink alertSyslogOrNull;
  private final ScheduledExecutorService maintenance;
  private AuditLog attachedOrNull;

  /**
   * Counters for the dashboard and {@code warden status}. Reading them never waits for the writer.
   *
   * @param ingestedSeq the highest audit seq stored in events.db
   */
  public record Stats(long ingested, long queued, long ingestDropped, long storeFailures, long ingestedSeq,
      Map<String, Long> exporterDrops, long alertSinkDrops, long detectionFailures, String lastErrorOrNull) {}

  private Monitor(WardenHome home, MonitorConfig config, InstantSource clock, EventStore store, Detections detections,
      IngestPipeline pipeline, List<EventExporter> exporters, WebhookAlertSink webhookOrNull,
      SyslogAlertSink alertSyslogOrNull) {
    this.home = home;
    this.config = config;
    this.clock = clock;
    this.store = store;
    this.detections = detections;
    this.pipeline = pipeline;
    this.exporters = exporters;
    this.webhookOrNull = webhookOrNull;
    this.alertSyslogOrNull = alertSyslogOrNull;
    this.ingestor = new EventIngestor(pipeline, config.queueCapacity(), config.batchMax(), clock);
    this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
        .name("warden-monitor-retention").unstarted(r));
    long every = config.pruneInterval().toMillis();
    maintenance.scheduleWithFixedDelay(this::pruneQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  public static Monitor open(WardenHome home, MonitorConfig config) throws MonitorException {
    return open(home, config, InstantSource.system());
  }

  /** Opens (creating if needed) events.db and starts the exporters and sinks the config turns on. */
  public static Monitor open(WardenHome home, MonitorConfig config, InstantSource clock) throws MonitorException {
    EventStore store;
    try {
      store = EventStore.open(home.eventsDb());
    } catch (SQLException e) {
      throw new MonitorException("cannot open the event store " + home.eventsDb() + ": " + e.getMessage()
          + "; it is derived data — move it aside and the monitor rebuilds it from the audit log", e);
    }
    List<EventExporter> exporters = new ArrayList<>();
    WebhookAlertSink webhook = null;
    SyslogAlertSink alertSyslog = null;
    try {
      Detections detections = new Detections(config.detections(), store);
      if (config.jsonlOrNull() != null) {
        exporters.add(new JsonlExporter(config.jsonlOrNull(), clock));
      }
      if (config.otlpOrNull() != null) {
        exporters.add(new OtlpExporter(config.otlpOrNull()));
      }
      if (config.syslogOrNull() != null) {
        exporters.add(new SyslogExporter(config.syslogOrNull()));
      }
      if (config.webhookOrNull() != null) {
        webhook = new WebhookAlertSink(config.webhookOrNull());
        detections.addListener(webhook);
      }
      if (config.alertSyslogOrNull() != null) {
        alertSyslog = new SyslogAlertSink(config.alertSyslogOrNull());
        detections.addListener(alertSyslog);
      }
      IngestPipeline pipeline = new IngestPipeline(store, detections, exporters, clock, config.headInterval(),
          home.auditHead());
      return new Monitor(home, config, clock, store, detections, pipeline, List.copyOf(exporters), webhook, alertSyslog);
    } catch (SQLException | IOException | RuntimeException e) {
      exporters.forEach(EventExporter::close);
      if (webhook != null) {
        webhook.close();
      }
      if (alertSyslog != null) {
        alertSyslog.close();
      }
      try {
        store.close();
      } catch (SQLException ignored) {
        // reporting the first failure
      }
      throw new MonitorException("cannot start the monitor for " + home.root() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Catches up from the log's store (idempotent by audit seq), then follows every new append. The
   * catch-up runs on the calling thread; missed records later (overflow) are read back from the
   * same store on the writer thread.
   *
   * @return how many records the catch-up ingested
   */
  public synchronized long attach(AuditLog log) throws MonitorException {
    if (attachedOrNull != null) {
      throw new MonitorException("the monitor is already attached to an audit log");
    }
    pipeline.setAuditStore(log.store());
    long n = backfill(log.store());
    log.addListener(ingestor);
    attachedOrNull = log;
    // Records appended between the backfill and addListener are read back at the next gap.
    pipeline.catchUp();
    return n;
  }

  /** Ingests every record of {@code audit} after the last one ingested (idempotent). */
  public long backfill(AuditStore audit) throws MonitorException {
    try {
      return pipeline.backfill(audit);
    } catch (AuditException e) {
      throw new MonitorException("cannot backfill events from the audit log: " + e.getMessage(), e);
    }
  }

  /** The listener to add to an AuditLog by hand (what {@link #attach} adds). */
  public AuditListener auditListener() {
    return ingestor;
  }

  public void addAlertListener(AlertListener l) {
    detections.addListener(l);
  }

  public void removeAlertListener(AlertListener l) {
    detections.removeListener(l);
  }

  /** Adds a detection (call before attaching). */
  public void addDetection(String id, DetectionRule rule) {
    detections.addRule(id, rule);
  }

  public List<Alert> recentAlerts(int limit) throws MonitorException {
    try {
      return detections.recent(limit);
    } catch (SQLException e) {
      throw new MonitorException("cannot read alerts from " + home.eventsDb() + ": " + e.getMessage(), e);
    }
  }

  /** {@code warden hunt …} against this home's events.db; returns the exit code. */
  public int hunt(HuntArgs args, PrintStream out) {
    return new HuntRunner(home.eventsDb(), clock).run(args, out);
  }

  /** {@code warden hunt …} without a running monitor (the CLI while the gateway runs, or after). */
  public static int hunt(WardenHome home, HuntArgs args, PrintStream out, PrintStream err) {
    return new HuntRunner(home.eventsDb(), InstantSource.system()).run(args, out, err);
  }

  /** Applies retention now; returns the number of events deleted. */
  public long prune() throws MonitorException {
    try {
      return store.prune(config.retention(), clock.instant());
    } catch (SQLException e) {
      throw new MonitorException("cannot prune " + home.eventsDb() + ": " + e.getMessage(), e);
    }
  }

  private void pruneQuietly() {
    try {
      long n = prune();
      if (n > 0) {
        pipeline.monitorEvent(OcsfMapper.monitor(clock.instant(), "retention", OcsfMapper.SEVERITY_INFO,
            "retention deleted " + n + " events", Map.of("deleted", n)));
      }
    } catch (MonitorException | RuntimeException e) {
      // counted through the store's next failure; retention retries at the next interval
    }
  }

  /** Waits until everything appended so far is stored, evaluated and handed to every exporter. */
  public boolean flush(long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    boolean ok = ingestor.flush(timeoutMillis);
    for (EventExporter x : exporters) {
      ok &= x.flush(Math.max(0, deadline - System.currentTimeMillis()));
    }
    if (webhookOrNull != null) {
      ok &= webhookOrNull.flush(Math.max(0, deadline - System.currentTimeMillis()));
    }
    if (alertSyslogOrNull != null) {
      ok &= alertSyslogOrNull.flush(Math.max(0, deadline - System.currentTimeMillis()));
    }
    return ok;
  }

  public Stats stats() {
    Map<String, Long> drops = new java.util.LinkedHashMap<>();
    for (EventExporter x : exporters) {
      drops.put(x.name(), x.dropped());
    }
    long sinkDrops = (webhookOrNull == null ? 0 : webhookOrNull.dropped())
        + (alertSyslogOrNull == null ? 0 : alertSyslogOrNull.dropped());
    return new Stats(pipeline.ingested(), ingestor.pending(), ingestor.dropped(), pipeline.failedBatches(), pipeline.cursor(),
        drops, sinkDrops, detections.failures(), pipeline.lastErrorOrNull());
  }

  public EventStore eventStore() {
    return store;
  }

  public Detections detections() {
    return detections;
  }

  public List<EventExporter> exporters() {
    return exporters;
  }

  public MonitorConfig config() {
    return config;
  }

  /**
   * Detaches from the log, writes what is queued, exports the chain head, stops exporters and
   * closes events.db. Call before closing the audit log.
   */
  @Override
  public synchronized void close() {
    if (attachedOrNull != null) {
      attachedOrNull.removeListener(ingestor);
    }
    ingestor.flush(CLOSE_FLUSH_MILLIS);
    ingestor.close();
    pipeline.catchUp();
    pipeline.exportHead();
    maintenance.shutdownNow();
    for (EventExporter x : exporters) {
      x.flush(CLOSE_FLUSH_MILLIS);
      x.close();
    }
    if (webhookOrNull != null) {
      webhookOrNull.flush(CLOSE_FLUSH_MILLIS);
      webhookOrNull.close();
    }
    if (alertSyslogOrNull != null) {
      alertSyslogOrNull.flush(CLOSE_FLUSH_MILLIS);
      alertSyslogOrNull.close();
    }
    try {
      store.close();
    } catch (SQLException ignored) {
      // nothing left to lose: events.db is rebuilt from the audit log
    }
  }
}
