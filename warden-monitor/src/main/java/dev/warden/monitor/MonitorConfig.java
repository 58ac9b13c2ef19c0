package dev.warden.monitor;

import dev.warden.kernel.WardenHome;
import dev.warden.monitor.detect.DetectionConfig;
import dev.warden.monitor.detect.Severity;
import dev.warden.monitor.detect.WebhookAlertSink;
import dev.warden.monitor.events.Retention;
import dev.warden.monitor.export.JsonlExporter;
import dev.warden.monitor.export.OtlpExporter;
import dev.warden.monitor.export.Syslog;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code monitor:} section of warden.yaml, parsed and checked. docs/monitoring.md lists every
 * key. Unknown keys are errors (a typo must not silently turn an exporter off).
 *
 * @param queueCapacity audit records the ingest queue holds before it drops (and counts) them
 * @param batchMax records written per transaction at most
 * @param pruneInterval how often retention runs
 * @param headInterval how often the audit chain head is exported
 * @param jsonlOrNull / otlpOrNull / syslogOrNull exporters; null = off
 * @param webhookOrNull / alertSyslogOrNull alert sinks; null = off
 */
public record MonitorConfig(int queueCapacity, int batchMax, Retention retention, Duration pruneInterval,
    DetectionConfig detections, Duration headInterval, JsonlExporter.Config jsonlOrNull, OtlpExporter.Config otlpOrNull,
    Syslog.Config syslogOrNull, WebhookAlertSink.Config webhookOrNull, Syslog.Config alertSyslogOrNull) {

  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  public static final int DEFAULT_BATCH_MAX = 512;
  public static final Duration DEFAULT_PRUNE_INTERVAL = Duration.ofHours(1);
  public static final Duration DEFAULT_HEAD_INTERVAL = Duration.ofMinutes(1);

  public MonitorConfig {
    if (queueCapacity < 16) {
      throw new IllegalArgumentException("monitor.queue_capacity must be at least 16, got " + queueCapacity);
    }
    if (batchMax < 1) {
      throw new IllegalArgumentException("monitor.batch_max must be at least 1, got " + batchMax);
    }
  }

  /** Defaults: events.db with default retention and detections, JSONL export to WARDEN_HOME/exports. */
  public static MonitorConfig defaults(WardenHome home) {
    return fromMap(Map.of(), home);
  }

  private static final Set<String> TOP = Set.of("queue_capacity", "batch_max", "retention", "detections", "alerts", "export");

  /**
   * Parses the {@code monitor:} section (as the YAML loader gives it: maps, lists, strings, numbers).
   *
   * @throws IllegalArgumentException naming the key, what it holds and what is expected
   */
  public static MonitorConfig fromMap(Map<String, Object> section, WardenHome home) {
    Node root = new Node("monitor", section == null ? Map.of() : section);
    root.allow(TOP);
    Node ret = root.child("retention");
    ret.allow(Set.of("max_age", "max_rows", "prune_interval"));
    Retention retention = new Retention(
        ret.has("max_age") ? (ret.isOff("max_age") ? null : ret.duration("max_age", null)) : Retention.DEFAULT.maxAgeOrNull(),
        ret.longValue("max_rows", Retention.DEFAULT.maxRowsOrZero()));
    Node det = root.child("detections");
    det.allow(Set.of("dedup_window", "deny_burst_threshold", "deny_burst_window", "known_skill_sources"));
    DetectionConfig detections = new DetectionConfig(
        det.duration("dedup_window", DetectionConfig.DEFAULT_DEDUP_WINDOW),
        (int) det.longValue("deny_burst_threshold", DetectionConfig.DEFAULT_DENY_BURST_THRESHOLD),
        det.duration("deny_burst_window", DetectionConfig.DEFAULT_DENY_BURST_WINDOW),
        det.strings("known_skill_sources"));

    Node alerts = root.child("alerts");
    alerts.allow(Set.of("webhook", "syslog"));
    WebhookAlertSink.Config webhook = null;
    Node wh = alerts.child("webhook");
    if (wh.has("url")) {
      wh.allow(Set.of("url", "headers", "max_attempts", "min_severity", "only_new"));
      webhook = new WebhookAlertSink.Config(wh.uri("url"), wh.stringMap("headers"),
          (int) wh.longValue("max_attempts", WebhookAlertSink.Config.DEFAULT_MAX_ATTEMPTS),
          Severity.parse(wh.string("min_severity", "low")), wh.bool("only_new", true));
    }
    Syslog.Config alertSyslog = syslog(alerts.child("syslog"));

    Node export = root.child("export");
    export.allow(Set.of("head_interval", "jsonl", "otlp", "syslog"));
    Node jl = export.child("jsonl");
    jl.allow(Set.of("enabled", "dir", "max_bytes", "max_age", "keep_files"));
    JsonlExporter.Config jsonl = null;
    if (jl.bool("enabled", true)) {
      String dir = jl.string("dir", null);
      Path p = dir == null ? home.exports() : (Path.of(dir).isAbsolute() ? Path.of(dir) : home.root().resolve(dir));
      jsonl = new JsonlExporter.Config(p, jl.longValue("max_bytes", JsonlExporter.Config.DEFAULT_MAX_BYTES),
          jl.duration("max_age", JsonlExporter.Config.DEFAULT_MAX_AGE),
          (int) jl.longValue("keep_files", JsonlExporter.Config.DEFAULT_KEEP_FILES));
    }
    OtlpExporter.Config otlp = null;
    Node ot = export.child("otlp");
    if (ot.has("url")) {
      ot.allow(Set.of("url", "headers", "batch_max", "linger_ms", "max_attempts", "service_name"));
      otlp = new OtlpExporter.Config(ot.uri("url"), ot.stringMap("headers"),
          (int) ot.longValue("batch_max", OtlpExporter.Config.DEFAULT_BATCH_MAX),
          ot.longValue("linger_ms", OtlpExporter.Config.DEFAULT_LINGER_MILLIS),
          (int) ot.longValue("max_attempts", OtlpExporter.Config.DEFAULT_MAX_ATTEMPTS),
          ot.string("service_name", "warden"));
    }
    Syslog.Config syslog = syslog(export.child("syslog"));
    return new MonitorConfig(
        (int) root.longValue("queue_capacity", DEFAULT_QUEUE_CAPACITY),
        (int) root.longValue("batch_max", DEFAULT_BATCH_MAX),
        retention, ret.duration("prune_interval", DEFAULT_PRUNE_INTERVAL), detections,
        export.duration("head_interval", DEFAULT_HEAD_INTERVAL), jsonl, otlp, syslog, webhook, alertSyslog);
  }

  private static Syslog.Config syslog(Node n) {
    if (!n.has("host")) {
      n.allow(Set.of());
      return null;
    }
    n.allow(Set.of("host", "port", "protocol", "facility", "app_name"));
    String proto = n.string("protocol", "udp").toUpperCase(Locale.ROOT);
    Syslog.Protocol p;
    try {
      p = Syslog.Protocol.valueOf(proto);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(n.path + ".protocol must be udp or tcp, got " + proto.toLowerCase(Locale.ROOT));
    }
    return new Syslog.Config(n.string("host", null), (int) n.longValue("port", p == Syslog.Protocol.UDP ? 514 : 601), p,
        (int) n.longValue("facility", Syslog.Config.DEFAULT_FACILITY), n.string("app_name", "warden"));
  }

  /** A typed view of one YAML map, with errors that name the full key path. */
  private record Node(String path, Map<String, Object> map) {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)?");

    Node child(String key) {
      Object v = map.get(key);
      if (v == null) {
        return new Node(path + "." + key, Map.of());
      }
      if (!(v instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException(path + "." + key + " must be a mapping, got " + describe(v));
      }
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, val) -> out.put(String.valueOf(k), val));
      return new Node(path + "." + key, out);
    }

    void allow(Set<String> keys) {
      for (String k : map.keySet()) {
        if (!keys.contains(k)) {
          throw new IllegalArgumentException("unknown key " + path + "." + k + "; known keys here: "
              + new java.util.TreeSet<>(keys) + " (see docs/monitoring.md)");
        }
      }
    }

    boolean has(String key) {
      return map.get(key) != null;
    }

    boolean isOff(String key) {
      Object v = map.get(key);
      return v instanceof Boolean b && !b || "off".equals(v) || "none".equals(v);
    }

    String string(String key, String dflt) {
      Object v = map.get(key);
      if (v == null) {
        return dflt;
      }
      if (v instanceof String s) {
        return s;
      }
      if (v instanceof Number || v instanceof Boolean) {
        return v.toString();
      }
      throw new IllegalArgumentException(path + "." + key + " must be a string, got " + describe(v));
    }

    long longValue(String key, long dflt) {
      Object v = map.get(key);
      if (v == null) {
        return dflt;
      }
      if (v instanceof Number n && n.doubleValue() == n.longValue()) {
        return n.longValue();
      }
      if (v instanceof String s) {
        try {
          return Long.parseLong(s.trim().replace("_", ""));
        } catch (NumberFormatException e) {
          // fall through to the error
        }
      }
      throw new IllegalArgumentException(path + "." + key + " must be a whole number, got " + describe(v));
    }

    boolean bool(String key, boolean dflt) {
      Object v = map.get(key);
      if (v == null) {
        return dflt;
      }
      if (v instanceof Boolean b) {
        return b;
      }
      if ("true".equals(v) || "false".equals(v)) {
        return Boolean.parseBoolean((String) v);
      }
      throw new IllegalArgumentException(path + "." + key + " must be true or false, got " + describe(v));
    }

    /** {@code 90d}, {@code 10m}, {@code 30s}, {@code 500ms}, {@code 2w}, or a number of seconds. */
    Duration duration(String key, Duration dflt) {
      Object v = map.get(key);
      if (v == null) {
        return dflt;
      }
      if (v instanceof Number n) {
        return Duration.ofSeconds(n.longValue());
      }
      Matcher m = DURATION.matcher(String.valueOf(v).trim().toLowerCase(Locale.ROOT));
      if (!(v instanceof String) || !m.matches()) {
        throw new IllegalArgumentException(path + "." + key + " must be a duration like 90d, 24h, 10m, 30s or 500ms, got "
            + describe(v));
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> Duration.ofDays(7 * n);
      };
    }

    URI uri(String key) {
      String s = string(key, null);
      try {
        URI u = URI.create(s);
        if (u.getHost() == null) {
          throw new IllegalArgumentException("no host");
        }
        return u;
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path + "." + key + " must be an http(s) URL with a host, got '" + s + "'");
      }
    }

    List<String> strings(String key) {
      Object v = map.get(key);
      if (v == null) {
        return List.of();
      }
      if (!(v instanceof List<?> l)) {
        throw new IllegalArgumentException(path + "." + key + " must be a list of strings, got " + describe(v));
      }
      List<String> out = new ArrayList<>();
      for (Object o : l) {
        out.add(String.valueOf(o));
      }
      return out;
    }

    Map<String, String> stringMap(String key) {
      Object v = map.get(key);
      if (v == null) {
        return Map.of();
      }
      if (!(v instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException(path + "." + key + " must be a mapping of strings, got " + describe(v));
      }
      Map<String, String> out = new LinkedHashMap<>();
      m.forEach((k, val) -> out.put(String.valueOf(k), String.valueOf(val)));
      return out;
    }

    private static String describe(Object v) {
      return "'" + v + "' (" + v.getClass().getSimpleName() + ")";
    }
  }
}
