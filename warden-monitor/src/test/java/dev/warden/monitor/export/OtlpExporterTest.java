package dev.warden.monitor.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.warden.monitor.events.OcsfEvent;
import dev.warden.monitor.internal.MonitorJson;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real OTLP/HTTP receiver on 127.0.0.1 that decodes the JSON it is sent. */
class OtlpExporterTest {
  HttpServer server;
  final List<Map<String, Object>> received = Collections.synchronizedList(new ArrayList<>());
  final List<String> contentTypes = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger failFirst = new AtomicInteger();
  volatile int failCode = 503;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/logs", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      int code;
      if (failFirst.getAndDecrement() > 0) {
        code = failCode;
      } else {
        received.add(MonitorJson.readMap(new String(body, StandardCharsets.UTF_8)));
        contentTypes.add(ex.getRequestHeaders().getFirst("Content-Type"));
        code = 200;
      }
      byte[] resp = "{}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(code, resp.length);
      ex.getResponseBody().write(resp);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  OtlpExporter exporter(int batchMax, int maxAttempts) {
    return new OtlpExporter(new OtlpExporter.Config(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/logs"), Map.of("X-Tenant", "t1"),
        batchMax, 50, maxAttempts, "warden-test"));
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> logRecords(Map<String, Object> req) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object rl : (List<Object>) req.get("resourceLogs")) {
      for (Object sl : (List<Object>) ((Map<String, Object>) rl).get("scopeLogs")) {
        out.addAll((List<Map<String, Object>>) ((Map<String, Object>) sl).get("logRecords"));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> attributes(Map<String, Object> record) {
    Map<String, Object> out = new HashMap<>();
    for (Object a : (List<Object>) record.get("attributes")) {
      Map<String, Object> kv = (Map<String, Object>) a;
      Map<String, Object> v = (Map<String, Object>) kv.get("value");
      out.put((String) kv.get("key"), v.values().iterator().next());
    }
    return out;
  }

  @Test
  @SuppressWarnings("unchecked")
  void export_postsOtlpJsonLogs_withOcsfBodyAndAttributes() throws Exception {
    List<OcsfEvent> events = ExportFixtures.events(5);
    try (OtlpExporter x = exporter(100, 3)) {
      x.export(events);
      assertThat(x.flush(10_000)).isTrue();
      assertThat(x.sent()).isEqualTo(5);
      assertThat(x.dropped()).isZero();
    }
    List<Map<String, Object>> records = new ArrayList<>();
    received.forEach(r -> records.addAll(logRecords(r)));
    assertThat(records).hasSize(5);
    assertThat(contentTypes).allMatch("application/json"::equals);
    Map<String, Object> resource = (Map<String, Object>) ((List<Object>) received.getFirst().get("resourceLogs")).getFirst();
    assertThat(resource.toString()).contains("service.name").contains("warden-test");
    Map<String, Object> first = records.getFirst();
    assertThat(first.get("timeUnixNano")).isEqualTo(Long.toString(events.getFirst().time().toEpochMilli() * 1_000_000L));
    Map<String, Object> attrs = attributes(first);
    assertThat(attrs).containsEntry("ocsf.class_uid", "4002").containsEntry("warden.seq", "1")
        .containsEntry("warden.verdict", "allow").containsEntry("warden.host", "api.test")
        .containsEntry("warden.tainted", true).containsEntry("warden.session", "s0");
    String body = (String) ((Map<String, Object>) first.get("body")).get("stringValue");
    assertThat(MonitorJson.readMap(body)).containsEntry("class_uid", 4002);
    assertThat(attributes(records.get(1))).containsEntry("warden.verdict", "deny");
    assertThat(records.get(1).get("severityNumber")).isEqualTo(13);
  }

  @Test
  void export_batchesUpToBatchMax() throws Exception {
    try (OtlpExporter x = exporter(4, 3)) {
      x.export(ExportFixtures.events(10));
      assertThat(x.flush(10_000)).isTrue();
    }
    assertThat(received).hasSizeGreaterThanOrEqualTo(3).allSatisfy(r -> assertThat(logRecords(r).size()).isLessThanOrEqualTo(4));
    assertThat(received.stream().mapToInt(r -> logRecords(r).size()).sum()).isEqualTo(10);
  }

  @Test
  void unavailableCollector_isRetried_thenDelivered() throws Exception {
    failFirst.set(2);
    try (OtlpExporter x = exporter(100, 4)) {
      x.export(ExportFixtures.events(2));
      assertThat(x.flush(10_000)).isTrue();
      assertThat(x.sent()).isEqualTo(2);
      assertThat(x.dropped()).isZero();
    }
  }

  @Test
  void rejectedPayload_isNotRetried_andCountedAsDropped() throws Exception {
    failFirst.set(1);
    failCode = 400;
    try (OtlpExporter x = exporter(100, 4)) {
      x.export(ExportFixtures.events(2));
      assertThat(x.flush(10_000)).isTrue();
      assertThat(x.dropped()).isEqualTo(2);
      assertThat(x.lastErrorOrNull()).contains("400");
    }
    assertThat(received).isEmpty();
  }

  @Test
  void unreachableCollector_givesUpAfterMaxAttempts() throws Exception {
    server.stop(0);
    try (OtlpExporter x = exporter(100, 2)) {
      x.export(ExportFixtures.events(1));
      assertThat(x.flush(10_000)).isTrue();
      assertThat(x.dropped()).isEqualTo(1);
      assertThat(x.lastErrorOrNull()).contains("cannot reach collector");
    }
  }
}
