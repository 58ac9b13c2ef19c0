package dev.warden.monitor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotManifestTest {
  static final String SHA = "a".repeat(64);

  static SnapshotManifest manifest() {
    return new SnapshotManifest(SnapshotId.of("snap-20261126-030000"), Instant.parse("2026-11-26T03:00:00Z"), "r",
        "0123456789abcdef", 7, List.of(new SnapshotEntry("workspace/b.md", SHA, 3, "0644"),
            new SnapshotEntry("warden.yaml", SHA, 3, "0600"), new SnapshotEntry(SnapshotEntry.CRON, SHA, 2, "")));
  }

  @Test
  void toBytesThenParse_roundTrips_andEntriesAreSorted() throws Exception {
    SnapshotManifest m = manifest();
    assertThat(SnapshotManifest.parse(m.toBytes())).isEqualTo(m);
    assertThat(m.entries()).extracting(SnapshotEntry::path).containsExactly(":cron", "warden.yaml", "workspace/b.md");
    assertThat(new String(m.toBytes(), StandardCharsets.UTF_8)).startsWith("{\"audit_seq\":7,");
  }

  @Test
  void duplicatePath_isRejected() {
    assertThatThrownBy(() -> new SnapshotManifest(SnapshotId.of("s"), Instant.EPOCH, "r", "k", 0,
        List.of(new SnapshotEntry("a", SHA, 1, "0644"), new SnapshotEntry("a", SHA, 1, "0644"))))
        .hasMessageContaining("twice");
  }

  @Test
  void parse_otherFormatOrGarbage_isRefused() {
    String other = new String(manifest().toBytes(), StandardCharsets.UTF_8).replace(SnapshotManifest.FORMAT, "x/9");
    assertThatThrownBy(() -> SnapshotManifest.parse(other.getBytes(StandardCharsets.UTF_8))).isInstanceOf(SnapshotException.class);
    assertThatThrownBy(() -> SnapshotManifest.parse("{".getBytes(StandardCharsets.UTF_8))).isInstanceOf(SnapshotException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/etc/passwd", "../x", "workspace/../../x", "a//b", "a/./b", "a\\b"})
  void entry_pathEscapingTheHome_isRejected(String path) {
    assertThatThrownBy(() -> new SnapshotEntry(path, SHA, 1, "0644")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void entry_badHashOrMode_isRejected() {
    assertThatThrownBy(() -> new SnapshotEntry("a", "xyz", 1, "0644")).hasMessageContaining("sha256");
    assertThatThrownBy(() -> new SnapshotEntry("a", SHA, 1, "644")).hasMessageContaining("mode");
    assertThatThrownBy(() -> new SnapshotEntry("a", SHA, -1, "0644")).hasMessageContaining("negative");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "../x", "a/b", ".hidden", "a..b"})
  void snapshotId_unsafeName_isRejected(String id) {
    assertThatThrownBy(() -> SnapshotId.of(id)).isInstanceOf(IllegalArgumentException.class);
  }
}
