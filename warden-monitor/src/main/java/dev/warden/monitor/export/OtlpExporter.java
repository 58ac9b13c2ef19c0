package dev.warden.monitor.export;

import dev.warden.monitor.events.OcsfEvent;
import dev.warden.monitor.internal.BoundedWorker;
import dev.warden.monitor.internal.MonitorJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OTLP logs over HTTP with the JSON encoding ({@code POST <collector>/v1/logs},
 * {@code Content-Type: application/json}): one {@code resourceLogs} entry per batch, the OCSF
 * document as each log record's string body, and the indexed fields as attributes
 * ({@code ocsf.class_uid}, {@code warden.seq}, {@code warden.session}…).
 *
 * <h2>Design notes</h2>
 * <b>Batching.</b> Events queue in a bounded in-memory queue drained by one thread into batches of
 * up to {@link Config#batchMax}, waiting at most {@link Config#lingerMillis} to fill one.
 *
 * <p><b>Failure.</b> A batch is retried on connection errors, 429 and 5xx, with exponential backoff
 * from {@link #RETRY_BASE_MILLIS}, up to {@link Config#maxAttempts} attempts; other 4xx answers mean
 * the collector rejects the payload and the batch is dropped at once. Everything dropped is counted
 * ({@link #dropped()}); the JSONL file export, if on, still has those events.
 */
public final class OtlpExporter implements EventExporter {

  /** First retry delay; doubled on each further attempt. */
  public static final long RETRY_BASE_MILLIS = 200;
  /** Events waiting to be sent; beyond this new events are dropped (counted). */
  public static final int QUEUE_CAPACITY_EVENTS = 50_000;
  /** How long one POST may take. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  public record Config(URI url, Map<String, String> headers, int batchMax, long lingerMillis, int maxAttempts,
      String serviceName) {
    public static final int DEFAULT_BATCH_MAX = 256;
    public static final long DEFAULT_LINGER_MILLIS = 500;
    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    public Config {
      Objects.requireNonNull(url, "url");
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
        throw new IllegalArgumentException("monitor.export.otlp.url must be http(s)://host:port/v1/logs, got " + url);
      }
      headers = Map.copyOf(headers);
      if (batchMax < 1 || maxAttempts < 1 || lingerMillis < 0) {
        throw new IllegalArgumentException("otlp batch_max and max_attempts must be >= 1 and linger_ms >= 0");
      }
      Objects.requireNonNull(serviceName, "serviceName");
    }
  }

  private final Config config;
  private final HttpClient http;
  private final BoundedWorker<OcsfEvent> worker;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private volatile String lastErrorOrNull;

  public OtlpExporter(Config config) {
    this.config = config;
    this.http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    this.worker = new BoundedWorker<>("warden-otlp-export", QUEUE_CAPACITY_EVENTS, config.batchMax(),
        config.lingerMillis(), this::send);
  }

  @Override
  public String name() {
    return "otlp";
  }

  @Override
  public void export(List<OcsfEvent> events) {
    for (OcsfEvent e : events) {
      worker.offer(e);
    }
  }

  private void send(List<OcsfEvent> batch) {
    byte[] payload = MonitorJson.write(encode(batch, config.serviceName())).getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder rb = HttpRequest.newBuilder(config.url()).timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
    config.headers().forEach(rb::header);
    HttpRequest req = rb.build();
    for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
      try {
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        int code = resp.statusCode();
        if (code / 100 == 2) {
          sent.addAndGet(batch.size());
          return;
        }
        lastErrorOrNull = "collector " + config.url() + " answered " + code + ": " + abbreviate(resp.body());
        if (code != 429 && code / 100 != 5) {
          break; // the payload is refused: retrying sends the same bytes again
        }
      } catch (IOException e) {
        lastErrorOrNull = "cannot reach collector " + config.url() + ": " + e.getMessage();
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
    dropped.addAndGet(batch.size());
  }

  /** The OTLP/JSON {@code ExportLogsServiceRequest} for a batch. */
  public static Map<String, Object> encode(List<OcsfEvent> batch, String serviceName) {
    List<Object> records = new ArrayList<>(batch.size());
    for (OcsfEvent e : batch) {
      Map<String, Object> r = new LinkedHashMap<>();
      String nanos = Long.toString(e.time().toEpochMilli() * 1_000_000L);
      r.put("timeUnixNano", nanos);
      r.put("observedTimeUnixNano", nanos);
      int sev = switch (e.severityId()) {
        case 0, 1 -> 9;   // INFO
        case 2 -> 10;     // INFO2
        case 3 -> 13;     // WARN
        case 4 -> 17;     // ERROR
        default -> 21;    // FATAL
      };
      r.put("severityNumber", sev);
      r.put("severityText", e.ocsf().getOrDefault("severity", "Unknown"));
      r.put("body", Map.of("stringValue", e.json()));
      List<Object> attrs = new ArrayList<>();
      intAttr(attrs, "ocsf.class_uid", e.ocsfClass().uid);
      strAttr(attrs, "ocsf.class_name", e.ocsfClass().className);
      intAttr(attrs, "ocsf.activity_id", e.activityId());
      intAttr(attrs, "ocsf.severity_id", e.severityId());
      strAttr(attrs, "warden.record_type", e.recordType());
      if (e.seqOrZero() > 0) {
        intAttr(attrs, "warden.seq", e.seqOrZero());
      }
      strAttr(attrs, "warden.principal", e.principal());
      strAttr(attrs, "warden.session", e.sessionOrNull());
      strAttr(attrs, "warden.action", e.actionOrNull());
      strAttr(attrs, "warden.resource", e.resourceOrNull());
      strAttr(attrs, "warden.verdict", e.verdictOrNull());
      strAttr(attrs, "warden.rule", e.ruleOrNull());
      strAttr(attrs, "warden.event", e.eventCategoryOrNull() == null ? null : e.eventCategoryOrNull() + "/" + e.eventNameOrNull());
      strAttr(attrs, "warden.host", e.hostOrNull());
      attrs.add(Map.of("key", "warden.tainted", "value", Map.of("boolValue", e.tainted())));
      r.put("attributes", attrs);
      records.add(r);
    }
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put("scope", Map.of("name", "dev.warden.monitor", "version", "0.1.0"));
    scope.put("logRecords", records);
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("resource", Map.of("attributes", List.of(
        Map.of("key", "service.name", "value", Map.of("stringValue", serviceName)))));
    resource.put("scopeLogs", List.of(scope));
    return Map.of("resourceLogs", List.of(resource));
  }

  private static void strAttr(List<Object> attrs, String key, String valueOrNull) {
    if (valueOrNull != null) {
      attrs.add(Map.of("key", key, "value", Map.of("stringValue", valueOrNull)));
    }
  }

  private static void intAttr(List<Object> attrs, String key, long value) {
    // OTLP/JSON encodes 64-bit integers as decimal strings.
    attrs.add(Map.of("key", key, "value", Map.of("intValue", Long.toString(value))));
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  public long sent() {
    return sent.get();
  }

  @Override
  public long dropped() {
    return dropped.get() + worker.dropped();
  }

  public String lastErrorOrNull() {
    return lastErrorOrNull;
  }

  @Override
  public boolean flush(long timeoutMillis) {
    return worker.drain(timeoutMillis);
  }

  @Override
  public void close() {
    worker.close();
  }
}
