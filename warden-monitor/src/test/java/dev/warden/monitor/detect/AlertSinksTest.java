package dev.warden.monitor.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.warden.monitor.MonitorFixture;
import dev.warden.monitor.internal.MonitorJson;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook and syslog alert sinks wired from config, against real receivers on loopback. */
class AlertSinksTest {
  @TempDir Path dir;

  @Test
  void webhook_postsNewAlerts_retryingAServerError() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<Map<String, Object>> got = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger calls = new AtomicInteger();
    server.createContext("/hook", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      int code = calls.incrementAndGet() == 1 ? 500 : 204;
      if (code == 204) {
        got.add(MonitorJson.readMap(new String(body, StandardCharsets.UTF_8)));
      }
      ex.sendResponseHeaders(code, -1);
      ex.close();
    });
    server.start();
    try (DatagramSocket syslog = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      syslog.setSoTimeout(10_000);
      Map<String, Object> cfg = Map.of("alerts", Map.of(
          "webhook", Map.of("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
          "syslog", Map.of("host", "127.0.0.1", "port", syslog.getLocalPort(), "protocol", "udp")));
      try (MonitorFixture f = new MonitorFixture(dir, cfg)) {
        f.kernel.setQuarantined(true, "incident 7");
        f.kernel.setQuarantined(true, "incident 7 again"); // a repeat: not posted again
        f.sync();
        assertThat(got).singleElement().satisfies(a -> {
          assertThat(a).containsEntry("rule", "quarantine").containsEntry("severity", "high").containsEntry("count", 1);
          assertThat(a.get("id").toString()).startsWith("alr-");
        });
        assertThat(calls.get()).isEqualTo(2);
        byte[] buf = new byte[8192];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        syslog.receive(p);
        String msg = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
        assertThat(msg).startsWith("<" + (13 * 8 + 3) + ">1 ").contains(" alert [warden@32473 id=\"alr-")
            .contains("rule=\"quarantine\"").contains("incident 7");
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void webhook_belowMinSeverity_isNotPosted() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger calls = new AtomicInteger();
    server.createContext("/hook", ex -> {
      calls.incrementAndGet();
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    server.start();
    try {
      Map<String, Object> cfg = Map.of("alerts", Map.of("webhook", Map.of(
          "url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook", "min_severity", "critical")));
      try (MonitorFixture f = new MonitorFixture(dir, cfg)) {
        f.kernel.setQuarantined(true, "x");
        f.sync();
        assertThat(f.monitor.recentAlerts(5)).hasSize(1);
        assertThat(calls.get()).isZero();
      }
    } finally {
      server.stop(0);
    }
  }
}
