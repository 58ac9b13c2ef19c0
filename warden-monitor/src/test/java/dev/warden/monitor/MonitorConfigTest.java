package dev.warden.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.kernel.WardenHome;
import dev.warden.monitor.detect.Severity;
import dev.warden.monitor.export.Syslog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitorConfigTest {
  final WardenHome home = new WardenHome(Path.of("/tmp/warden-home-test"));

  @Test
  void defaults_jsonlOnly() {
    MonitorConfig c = MonitorConfig.defaults(home);
    assertThat(c.jsonlOrNull()).isNotNull();
    assertThat(c.jsonlOrNull().dir()).isEqualTo(home.exports());
    assertThat(c.otlpOrNull()).isNull();
    assertThat(c.syslogOrNull()).isNull();
    assertThat(c.webhookOrNull()).isNull();
    assertThat(c.retention().maxAgeOrNull()).isEqualTo(Duration.ofDays(90));
  }

  @Test
  void fullSection_parses() {
    Map<String, Object> m = Map.of(
        "queue_capacity", 5000,
        "retention", Map.of("max_age", "30d", "max_rows", 1_000_000, "prune_interval", "10m"),
        "detections", Map.of("dedup_window", "5m", "deny_burst_threshold", 20, "known_skill_sources", List.of("registry:warden")),
        "alerts", Map.of("webhook", Map.of("url", "https://hooks.example/warden", "min_severity", "high"),
            "syslog", Map.of("host", "10.0.0.5", "protocol", "tcp")),
        "export", Map.of("head_interval", "30s",
            "jsonl", Map.of("dir", "out", "max_bytes", 1048576, "max_age", "6h", "keep_files", 5),
            "otlp", Map.of("url", "http://127.0.0.1:4318/v1/logs", "headers", Map.of("X-Token", "t"), "batch_max", 100),
            "syslog", Map.of("host", "127.0.0.1", "port", 5514, "protocol", "udp", "facility", 4)));
    MonitorConfig c = MonitorConfig.fromMap(m, home);
    assertThat(c.queueCapacity()).isEqualTo(5000);
    assertThat(c.retention().maxAgeOrNull()).isEqualTo(Duration.ofDays(30));
    assertThat(c.pruneInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.detections().denyBurstThreshold()).isEqualTo(20);
    assertThat(c.webhookOrNull().minSeverity()).isEqualTo(Severity.HIGH);
    assertThat(c.alertSyslogOrNull().protocol()).isEqualTo(Syslog.Protocol.TCP);
    assertThat(c.alertSyslogOrNull().port()).isEqualTo(601);
    assertThat(c.jsonlOrNull().dir()).isEqualTo(home.root().resolve("out"));
    assertThat(c.otlpOrNull().headers()).containsEntry("X-Token", "t");
    assertThat(c.syslogOrNull().facility()).isEqualTo(4);
    assertThat(c.headInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void jsonlCanBeTurnedOff_andAgeRetentionToo() {
    MonitorConfig c = MonitorConfig.fromMap(Map.of("export", Map.of("jsonl", Map.of("enabled", false)),
        "retention", Map.of("max_age", "off")), home);
    assertThat(c.jsonlOrNull()).isNull();
    assertThat(c.retention().maxAgeOrNull()).isNull();
  }

  @Test
  void unknownKey_isAnErrorNamingThePath() {
    assertThatThrownBy(() -> MonitorConfig.fromMap(Map.of("export", Map.of("otlp", Map.of("url", "http://x:1/v1/logs",
        "batchmax", 3))), home)).hasMessageContaining("monitor.export.otlp.batchmax").hasMessageContaining("batch_max");
  }

  @Test
  void badValues_areErrorsNamingThePathAndTheExpectedForm() {
    assertThatThrownBy(() -> MonitorConfig.fromMap(Map.of("retention", Map.of("max_age", "ninety days")), home))
        .hasMessageContaining("monitor.retention.max_age").hasMessageContaining("90d");
    assertThatThrownBy(() -> MonitorConfig.fromMap(Map.of("queue_capacity", "lots"), home))
        .hasMessageContaining("monitor.queue_capacity");
    assertThatThrownBy(() -> MonitorConfig.fromMap(Map.of("export", Map.of("syslog", Map.of("host", "h", "protocol", "smoke"))), home))
        .hasMessageContaining("udp or tcp");
    assertThatThrownBy(() -> MonitorConfig.fromMap(Map.of("export", Map.of("otlp", Map.of("url", "ftp://x/"))), home))
        .hasMessageContaining("http");
    assertThatThrownBy(() -> MonitorConfig.fromMap(Map.of("alerts", "yes"), home)).hasMessageContaining("mapping");
  }
}
