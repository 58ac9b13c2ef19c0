package dev.warden.monitor.detect;

import dev.warden.monitor.events.EventStore;
import dev.warden.monitor.events.OcsfEvent;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the detection rules on each event as it arrives and turns findings into alerts.
 *
 * <h2>Design notes</h2>
 * <b>Dedup.</b> A finding whose {@link Finding#dedupKey()} matches an alert last seen within
 * {@link DetectionConfig#dedupWindow()} (in event time) increments that alert's count; otherwise
 * it raises a new alert. Open alerts are reloaded from the store on start, so a restart does not
 * re-raise what is already open.
 *
 * <p><b>Concurrency.</b> {@link #evaluate} is called from one thread (the ingestion writer); rules
 * keep unsynchronised state on that assumption. Listener registration is thread-safe.
 *
 * <p><b>Failure.</b> A rule or listener that throws is counted ({@link #failures()}) and skipped:
 * one bad rule must not blind the others. Storing an alert that fails is counted the same way;
 * the alert still reaches the listeners.
 */
public final class Detections {

  /** Open alerts kept in memory for dedup; the least recently seen is forgotten first. */
  public static final int MAX_OPEN_ALERTS = 10_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final DetectionConfig config;
  private final EventStore storeOrNull;
  private final Map<String, DetectionRule> rules = new LinkedHashMap<>();
  private final List<AlertListener> listeners = new CopyOnWriteArrayList<>();
  private final LinkedHashMap<String, Alert> open = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Alert> eldest) {
      return size() > MAX_OPEN_ALERTS;
    }
  };
  private final AtomicLong failures = new AtomicLong();

  /**
   * @param storeOrNull where alerts are kept (and open ones reloaded from); null keeps them in memory only
   */
  public Detections(DetectionConfig config, EventStore storeOrNull) throws SQLException {
    this.config = config;
    this.storeOrNull = storeOrNull;
    List<String> knownHosts = storeOrNull == null ? List.of()
        : storeOrNull.queryStrings("SELECT DISTINCT host FROM events WHERE action = 'egress' AND host IS NOT NULL LIMIT "
            + BuiltinDetections.MAX_KNOWN_HOSTS);
    rules.putAll(BuiltinDetections.all(config, knownHosts));
    if (storeOrNull != null) {
      reloadOpen();
    }
  }

  /** Adds (or replaces) a rule; call before events flow. */
  public synchronized void addRule(String id, DetectionRule rule) {
    rules.put(id, rule);
  }

  public List<String> ruleIds() {
    return List.copyOf(rules.keySet());
  }

  public void addListener(AlertListener l) {
    listeners.add(l);
  }

  public void removeListener(AlertListener l) {
    listeners.remove(l);
  }

  public long failures() {
    return failures.get();
  }

  /** Evaluates every rule on one event; returns the alerts raised or updated (usually none). */
  public synchronized List<Alert> evaluate(OcsfEvent e) {
    List<Alert> out = null;
    for (Map.Entry<String, DetectionRule> rule : rules.entrySet()) {
      Finding f;
      try {
        f = rule.getValue().evaluateOrNull(e);
      } catch (RuntimeException ex) {
        failures.incrementAndGet();
        continue;
      }
      if (f == null) {
        continue;
      }
      Alert a = raise(f, e.time(), e.seqOrZero());
      if (out == null) {
        out = new ArrayList<>(2);
      }
      out.add(a);
    }
    return out == null ? List.of() : out;
  }

  private Alert raise(Finding f, Instant when, long seq) {
    Alert prior = open.get(f.dedupKey());
    Alert a;
    if (prior != null && !when.isAfter(prior.lastSeen().plus(config.dedupWindow()))) {
      a = prior.repeated(when, seq);
    } else {
      byte[] b = new byte[6];
      RANDOM.nextBytes(b);
      a = new Alert("alr-" + HexFormat.of().formatHex(b), f.rule(), f.severity(), f.title(), f.detail(),
          f.sessionOrNull(), f.dedupKey(), when, when, 1, seq);
    }
    open.put(a.dedupKey(), a);
    store(a);
    for (AlertListener l : listeners) {
      try {
        l.onAlert(a);
      } catch (RuntimeException ex) {
        failures.incrementAndGet();
      }
    }
    return a;
  }

  private void store(Alert a) {
    if (storeOrNull == null) {
      return;
    }
    storeOrNull.lock().lock();
    try (PreparedStatement ps = storeOrNull.connection().prepareStatement("""
        INSERT INTO alerts(id, rule, severity, title, detail, session, dedup_key, first_seen, last_seen, count, trigger_seq)
        VALUES (?,?,?,?,?,?,?,?,?,?,?)
        ON CONFLICT(id) DO UPDATE SET last_seen = excluded.last_seen, count = excluded.count,
          trigger_seq = excluded.trigger_seq""")) {
      ps.setString(1, a.id());
      ps.setString(2, a.rule());
      ps.setString(3, a.severity().lower());
      ps.setString(4, a.title());
      ps.setString(5, a.detail());
      ps.setString(6, a.sessionOrNull());
      ps.setString(7, a.dedupKey());
      ps.setLong(8, a.firstSeen().toEpochMilli());
      ps.setLong(9, a.lastSeen().toEpochMilli());
      ps.setLong(10, a.count());
      ps.setLong(11, a.triggerSeqOrZero());
      ps.executeUpdate();
    } catch (SQLException ex) {
      failures.incrementAndGet();
    } finally {
      storeOrNull.lock().unlock();
    }
  }

  private void reloadOpen() throws SQLException {
    storeOrNull.lock().lock();
    try (PreparedStatement ps = storeOrNull.connection().prepareStatement(
        "SELECT id, rule, severity, title, detail, session, dedup_key, first_seen, last_seen, count, trigger_seq "
            + "FROM alerts WHERE last_seen >= (SELECT COALESCE(MAX(last_seen), 0) FROM alerts) - ? ORDER BY last_seen")) {
      ps.setLong(1, config.dedupWindow().toMillis());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Alert a = read(rs);
          open.put(a.dedupKey(), a);
        }
      }
    } finally {
      storeOrNull.lock().unlock();
    }
  }

  /** The newest alerts (by last sighting), newest first, from the store (or memory without one). */
  public List<Alert> recent(int limit) throws SQLException {
    if (storeOrNull == null) {
      synchronized (this) {
        List<Alert> all = new ArrayList<>(open.values());
        all.sort((x, y) -> y.lastSeen().compareTo(x.lastSeen()));
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
      }
    }
    storeOrNull.lock().lock();
    try (PreparedStatement ps = storeOrNull.connection().prepareStatement(
        "SELECT id, rule, severity, title, detail, session, dedup_key, first_seen, last_seen, count, trigger_seq "
            + "FROM alerts ORDER BY last_seen DESC, rowid DESC LIMIT ?")) {
      ps.setInt(1, limit);
      List<Alert> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    } finally {
      storeOrNull.lock().unlock();
    }
  }

  private static Alert read(ResultSet rs) throws SQLException {
    return new Alert(rs.getString(1), rs.getString(2), Severity.parse(rs.getString(3)), rs.getString(4),
        rs.getString(5), rs.getString(6), rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)),
        Instant.ofEpochMilli(rs.getLong(9)), rs.getLong(10), rs.getLong(11));
  }
}
