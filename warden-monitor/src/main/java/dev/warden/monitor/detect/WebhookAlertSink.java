package dev.warden.monitor.detect;

import dev.warden.monitor.internal.BoundedWorker;
import dev.warden.monitor.internal.MonitorJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * POSTs each new alert as JSON to a configured URL (a chat bridge, an incident tool). Runs on its
 * own thread behind a bounded queue, so a slow receiver never slows ingestion.
 *
 * <p>Failure: connection errors, 429 and 5xx are retried with exponential backoff up to
 * {@link Config#maxAttempts}; other answers drop the alert. Dropped alerts are counted; they stay in
 * events.db and on the dashboard.
 */
public final class WebhookAlertSink implements AlertListener, AutoCloseable {

  /** Alerts waiting to be posted; beyond this new ones are dropped (counted). */
  public static final int QUEUE_CAPACITY_ALERTS = 1_000;
  /** Alerts posted per request: one, so a receiver's failure costs one alert's retries at a time. */
  public static final int BATCH_ALERTS = 1;
  /** First retry delay, doubled on each further attempt. */
  public static final long RETRY_BASE_MILLIS = 200;
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** @param onlyNew post only the first sighting of an alert, not its repeats */
  public record Config(URI url, Map<String, String> headers, int maxAttempts, Severity minSeverity, boolean onlyNew) {
    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    public Config {
      Objects.requireNonNull(url, "url");
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
        throw new IllegalArgumentException("monitor.alerts.webhook.url must be an http(s) URL, got " + url);
      }
      headers = Map.copyOf(headers);
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("monitor.alerts.webhook.max_attempts must be >= 1, got " + maxAttempts);
      }
      Objects.requireNonNull(minSeverity, "minSeverity");
    }
  }

  private final Config config;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
  private final BoundedWorker<Alert> worker;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  public WebhookAlertSink(Config config) {
    this.config = config;
    this.worker = new BoundedWorker<>("warden-alert-webhook", QUEUE_CAPACITY_ALERTS, BATCH_ALERTS, 0, b -> b.forEach(this::post));
  }

  @Override
  public void onAlert(Alert alert) {
    if ((config.onlyNew() && !alert.isNew()) || alert.severity().compareTo(config.minSeverity()) < 0) {
      return;
    }
    worker.offer(alert);
  }

  /** The JSON body posted for an alert. */
  public static Map<String, Object> json(Alert a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("rule", a.rule());
    m.put("severity", a.severity().lower());
    m.put("title", a.title());
    m.put("detail", a.detail());
    m.put("session", a.sessionOrNull());
    m.put("first_seen", a.firstSeen().toString());
    m.put("last_seen", a.lastSeen().toString());
    m.put("count", a.count());
    m.put("audit_seq", a.triggerSeqOrZero());
    return m;
  }

  private void post(Alert a) {
    HttpRequest.Builder rb = HttpRequest.newBuilder(config.url()).timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(MonitorJson.write(json(a))));
    config.headers().forEach(rb::header);
    HttpRequest req = rb.build();
    for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
      try {
        int code = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (code / 100 == 2) {
          delivered.incrementAndGet();
          return;
        }
        if (code != 429 && code / 100 != 5) {
          break;
        }
      } catch (IOException e) {
        // retried below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (attempt < config.maxAttempts()) {
        try {
          Thread.sleep(RETRY_BASE_MILLIS << (attempt - 1));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    dropped.incrementAndGet();
  }

  public long delivered() {
    return delivered.get();
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
  }
}
