package dev.warden.registry.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogEntryTest {
  @Test
  void canonicalRoundTrip_keepsMillisecondTime() throws Exception {
    LogEntry e = new LogEntry("weather", "1.0.0", "a".repeat(64), "b".repeat(64), Instant.parse("2026-11-26T01:02:03.456789Z"));
    LogEntry back = LogEntry.parse(e.canonicalBytes());
    assertThat(back).isEqualTo(e);
    assertThat(back.publishedAt()).isEqualTo(Instant.parse("2026-11-26T01:02:03.456Z"));
    assertThat(back.leafHash()).isEqualTo(MerkleTree.leafHash(e.canonicalBytes()));
  }

  @Test
  void nonCanonicalOrExtraFields_refused() {
    LogEntry e = new LogEntry("weather", "1.0.0", "a".repeat(64), "b".repeat(64), Instant.now());
    String json = new String(e.canonicalBytes(), StandardCharsets.UTF_8);
    assertThatThrownBy(() -> LogEntry.parse((json.substring(0, json.length() - 1) + ",\"zz\":1}").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(LogException.class);
    assertThatThrownBy(() -> LogEntry.parse(json.replace(",", ", ").getBytes(StandardCharsets.UTF_8))).isInstanceOf(LogException.class);
  }
}
