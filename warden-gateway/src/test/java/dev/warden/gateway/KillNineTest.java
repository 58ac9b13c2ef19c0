package dev.warden.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.kernel.AgentKey;
import dev.warden.kernel.audit.AuditVerifier;
import dev.warden.store.SqliteAuditStore;
import dev.warden.store.StateDb;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 in the middle of a burst of actions: no acknowledged audit record is lost and the chain
 * (records, checkpoints, signed head) verifies afterwards.
 */
class KillNineTest {
  @TempDir Path dir;

  @Test
  void killNine_midBurst_losesNoAcknowledgedRecord_andTheChainVerifies() throws Exception {
    Path home = dir.resolve("home");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        AuditBurstMain.class.getName(), home.toString())).redirectErrorStream(true).start();
    long lastAck = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      int acks = 0;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("ack ")) {
          lastAck = Long.parseLong(line.substring(4));
          if (++acks == 150) {
            p.destroyForcibly(); // SIGKILL: no shutdown hooks, no close, no final checkpoint
            break;
          }
        }
      }
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(lastAck).isGreaterThan(300);
    try (StateDb db = StateDb.open(home.resolve("state.db"))) {
      SqliteAuditStore store = new SqliteAuditStore(db);
      assertThat(store.last().orElseThrow().seq()).isGreaterThanOrEqualTo(lastAck);
      AuditVerifier.Result v = AuditVerifier.verify(store, AgentKey.loadPublic(home.resolve("keys")), null);
      assertThat(v.ok()).as(v.summary()).isTrue();
      assertThat(v.records()).isGreaterThanOrEqualTo(lastAck);
    }
  }
}
