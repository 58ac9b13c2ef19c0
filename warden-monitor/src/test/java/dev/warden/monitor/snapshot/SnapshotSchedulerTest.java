package dev.warden.monitor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotSchedulerTest {
  @TempDir Path dir;

  @Test
  void runOnce_snapshotsAndPrunesToKeepLast() throws Exception {
    try (TestHome t = new TestHome(dir)) {
      SnapshotStore store = t.store();
      try (SnapshotScheduler s = new SnapshotScheduler(store, Duration.ofMinutes(5), new Retention(2, Duration.ZERO),
          e -> {})) {
        for (int i = 0; i < 4; i++) {
          t.write("workspace/n.md", "v" + i);
          t.clock.advanceSeconds(300);
          s.runOnce();
        }
      }
      assertThat(store.list()).hasSize(2).allMatch(m -> m.reason().equals(SnapshotScheduler.REASON));
      store.verify(store.list().getFirst().id());
    }
  }

  @Test
  void constructor_intervalBelowMinimum_isRejected() throws Exception {
    try (TestHome t = new TestHome(dir)) {
      assertThatThrownBy(() -> new SnapshotScheduler(t.store(), Duration.ofSeconds(5), Retention.DEFAULT, e -> {}))
          .hasMessageContaining("shorter than the minimum");
    }
  }
}
