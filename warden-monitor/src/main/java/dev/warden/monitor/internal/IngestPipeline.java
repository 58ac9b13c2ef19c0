package dev.warden.monitor.internal;

import dev.warden.kernel.audit.AuditException;
import dev.warden.kernel.audit.AuditHead;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.kernel.audit.AuditStore;
import dev.warden.monitor.detect.Alert;
import dev.warden.monitor.detect.Detections;
import dev.warden.monitor.events.EventStore;
import dev.warden.monitor.events.OcsfEvent;
import dev.warden.monitor.events.OcsfMapper;
import dev.warden.monitor.export.EventExporter;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Audit records → OCSF events → event store → detections → exporters, in that order, one batch at
 * a time. Every entry point is synchronized: the live writer thread and a backfill never interleave.
 *
 * <p><b>Resuming.</b> The store's {@code ingested_seq} is the cursor. A record at or below it is
 * skipped (idempotent). A record beyond {@code cursor + 1} means records were missed (queue overflow,
 * a crash, a monitor attached late): when the audit store is known, the gap is read back from it
 * first, so events.db converges on the audit log.
 */
public final class IngestPipeline {

  /** Records read from the audit store per page during backfill and gap filling. */
  public static final int BACKFILL_PAGE_RECORDS = 2_000;

  private final EventStore store;
  private final Detections detections;
  private final List<EventExporter> exporters = new CopyOnWriteArrayList<>();
  private final InstantSource clock;
  private final Duration headInterval;
  private final Path headFileOrNull;
  private volatile AuditStore auditOrNull;
  /** Written under this object's lock; volatile so {@link #cursor()} can be read without waiting for the writer. */
  private volatile long cursor;
  private long lastSeq;
  private String lastHash;
  private Instant lastHeadExport = Instant.EPOCH;
  private final AtomicLong ingested = new AtomicLong();
  private final AtomicLong failedBatches = new AtomicLong();
  private volatile String lastErrorOrNull;

  public IngestPipeline(EventStore store, Detections detections, List<EventExporter> exporters, InstantSource clock,
      Duration headInterval, Path headFileOrNull) throws SQLException {
    this.store = store;
    this.detections = detections;
    this.exporters.addAll(exporters);
    this.clock = clock;
    this.headInterval = headInterval;
    this.headFileOrNull = headFileOrNull;
    this.cursor = store.ingestedSeq();
  }

  public void setAuditStore(AuditStore audit) {
    this.auditOrNull = audit;
  }

  public List<EventExporter> exporters() {
    return exporters;
  }

  public long cursor() {
    return cursor;
  }

  public long ingested() {
    return ingested.get();
  }

  public long failedBatches() {
    return failedBatches.get();
  }

  public String lastErrorOrNull() {
    return lastErrorOrNull;
  }

  /** Ingests live records (the writer thread). Returns the number of audit events stored. */
  public synchronized int process(List<AuditRecord> records) {
    List<AuditRecord> fresh = new ArrayList<>(records.size());
    int total = 0;
    for (AuditRecord r : records) {
      long expected = fresh.isEmpty() ? cursor + 1 : fresh.getLast().seq() + 1;
      if (r.seq() < expected) {
        continue;
      }
      if (r.seq() > expected && auditOrNull != null) {
        total += commit(fresh);
        fresh.clear();
        total += fillGap(r.seq() - 1);
        if (r.seq() <= cursor) {
          continue;
        }
      }
      fresh.add(r);
    }
    return total + commit(fresh);
  }

  /** Reads every record after the cursor from {@code audit} and ingests it. */
  public synchronized long backfill(AuditStore audit) throws AuditException {
    long total = 0;
    while (true) {
      List<AuditRecord> page = audit.after(cursor, BACKFILL_PAGE_RECORDS);
      if (page.isEmpty()) {
        return total;
      }
      long before = cursor;
      total += commit(page);
      if (cursor == before) {
        return total; // the store refused the batch; the error is recorded
      }
    }
  }

  /** Reads back whatever the audit store has beyond the cursor (after an overflow). */
  public synchronized void catchUp() {
    AuditStore a = auditOrNull;
    if (a == null) {
      return;
    }
    try {
      backfill(a);
    } catch (AuditException e) {
      lastErrorOrNull = "cannot read missed records back from the audit log: " + e.getMessage();
    }
  }

  private int fillGap(long upToSeq) {
    int total = 0;
    try {
      while (cursor < upToSeq) {
        List<AuditRecord> page = auditOrNull.after(cursor, (int) Math.min(BACKFILL_PAGE_RECORDS, upToSeq - cursor));
        if (page.isEmpty()) {
          break;
        }
        long before = cursor;
        total += commit(page);
        if (cursor == before) {
          break;
        }
      }
    } catch (AuditException e) {
      lastErrorOrNull = "cannot read missed records back from the audit log: " + e.getMessage();
    }
    return total;
  }

  private int commit(List<AuditRecord> records) {
    if (records.isEmpty()) {
      return 0;
    }
    List<OcsfEvent> events = new ArrayList<>(records.size() + 4);
    for (AuditRecord r : records) {
      events.add(OcsfMapper.fromAudit(r));
    }
    AuditRecord last = records.getLast();
    List<OcsfEvent> extra = new ArrayList<>();
    try {
      // One transaction per batch: the events, the alerts they raise and the findings commit together.
      store.inTransaction(() -> {
        extra.clear();
        store.insert(events, last.seq());
        for (OcsfEvent e : events) {
          for (Alert a : detections.evaluate(e)) {
            extra.add(findingEvent(a));
          }
        }
        Instant now = clock.instant();
        if (!now.isBefore(lastHeadExport.plus(headInterval))) {
          extra.add(headEvent(now));
          lastHeadExport = now;
        }
        if (!extra.isEmpty()) {
          store.insert(extra, 0);
        }
        return null;
      });
    } catch (SQLException e) {
      failedBatches.incrementAndGet();
      lastErrorOrNull = "cannot store " + events.size() + " events in " + store.file() + ": " + e.getMessage();
      return 0;
    }
    cursor = Math.max(cursor, last.seq());
    lastSeq = last.seq();
    lastHash = last.hash();
    ingested.addAndGet(events.size());
    events.addAll(extra);
    export(events);
    return records.size();
  }

  /** Stores, evaluates and exports an event the monitor raises itself. */
  public synchronized void monitorEvent(OcsfEvent e) {
    List<OcsfEvent> all = new ArrayList<>();
    all.add(e);
    for (Alert a : detections.evaluate(e)) {
      all.add(findingEvent(a));
    }
    storeQuietly(all);
    export(all);
  }

  /** Exports the current head now (on close, so the last records are pinned off the host too). */
  public synchronized void exportHead() {
    if (lastSeq == 0 && headFileOrNull == null) {
      return;
    }
    OcsfEvent h = headEvent(clock.instant());
    storeQuietly(List.of(h));
    export(List.of(h));
  }

  private OcsfEvent headEvent(Instant now) {
    // The signed head lives in the audit store when it keeps one (same transaction as each record).
    if (auditOrNull != null && auditOrNull.storesHead()) {
      try {
        AuditHead head = auditOrNull.head().orElse(null);
        if (head != null) {
          return OcsfMapper.head(now, head.seq(), head.hash(), head.keyId(),
              Base64.getEncoder().encodeToString(head.signature()));
        }
      } catch (dev.warden.kernel.audit.AuditException e) {
        lastErrorOrNull = "cannot read the signed audit head: " + e.getMessage();
      }
    }
    if (headFileOrNull != null) {
      try {
        AuditHead head = AuditHead.readOrNull(headFileOrNull);
        if (head != null) {
          return OcsfMapper.head(now, head.seq(), head.hash(), head.keyId(),
              Base64.getEncoder().encodeToString(head.signature()));
        }
      } catch (IOException e) {
        lastErrorOrNull = "cannot read the audit head " + headFileOrNull + ": " + e.getMessage();
      }
    }
    return OcsfMapper.head(now, lastSeq, lastHash, null, null);
  }

  private static OcsfEvent findingEvent(Alert a) {
    return OcsfMapper.finding(a.lastSeen(), a.id(), a.rule(), a.severity().ocsfId, a.title(), a.detail(),
        a.sessionOrNull(), a.firstSeen(), a.lastSeen(), a.count());
  }

  private void storeQuietly(List<OcsfEvent> events) {
    try {
      store.insert(events, 0);
    } catch (SQLException e) {
      failedBatches.incrementAndGet();
      lastErrorOrNull = "cannot store monitor events in " + store.file() + ": " + e.getMessage();
    }
  }

  private void export(List<OcsfEvent> events) {
    for (EventExporter x : exporters) {
      try {
        x.export(events);
      } catch (RuntimeException e) {
        lastErrorOrNull = "exporter " + x.name() + " failed: " + e.getMessage();
      }
    }
  }
}
