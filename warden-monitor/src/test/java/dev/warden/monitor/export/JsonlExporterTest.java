package dev.warden.monitor.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.monitor.MonitorFixture;
import dev.warden.monitor.events.OcsfEvent;
import dev.warden.monitor.internal.MonitorJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlExporterTest {
  @TempDir Path dir;
  MonitorFixture.MutableClock clock = new MonitorFixture.MutableClock();

  static List<String> allLines(Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    for (Path p : JsonlExporter.rotatedFiles(dir)) {
      lines.addAll(Files.readAllLines(p));
    }
    lines.addAll(Files.readAllLines(dir.resolve(JsonlExporter.CURRENT_FILE)));
    return lines;
  }

  @Test
  void export_writesOneOcsfObjectPerLine() throws Exception {
    List<OcsfEvent> events = ExportFixtures.events(3);
    try (JsonlExporter x = new JsonlExporter(new JsonlExporter.Config(dir, 1 << 20, Duration.ofDays(1), 3), clock)) {
      x.export(events);
    }
    List<String> lines = Files.readAllLines(dir.resolve("events.jsonl"));
    assertThat(lines).hasSize(3);
    assertThat(MonitorJson.readMap(lines.get(1))).containsEntry("class_uid", 4002).containsEntry("disposition", "Blocked");
  }

  @Test
  void sizeRotation_neverExceedsMaxBytes_andKeepsOnlyTheNewestFiles() throws Exception {
    List<OcsfEvent> events = ExportFixtures.events(60);
    int lineBytes = (events.get(0).json() + "\n").length();
    long maxBytes = Math.max(1024, lineBytes * 5L);
    try (JsonlExporter x = new JsonlExporter(new JsonlExporter.Config(dir, maxBytes, Duration.ofDays(1), 3), clock)) {
      for (OcsfEvent e : events) {
        x.export(List.of(e));
        clock.advance(Duration.ofMillis(1)); // distinct rotated names
      }
    }
    List<Path> rotated = JsonlExporter.rotatedFiles(dir);
    assertThat(rotated).hasSize(3);
    for (Path p : rotated) {
      assertThat(Files.size(p)).isLessThanOrEqualTo(maxBytes);
    }
    List<String> kept = allLines(dir);
    assertThat(kept.getLast()).contains("https://api.test/59");
    assertThat(kept.size()).isLessThan(60); // oldest files deleted
    // Kept lines are contiguous and in order.
    int first = 60 - kept.size();
    for (int i = 0; i < kept.size(); i++) {
      assertThat(kept.get(i)).contains("https://api.test/" + (first + i) + "\"");
    }
  }

  @Test
  void timeRotation_startsANewFileAfterMaxAge() throws Exception {
    List<OcsfEvent> events = ExportFixtures.events(3);
    try (JsonlExporter x = new JsonlExporter(new JsonlExporter.Config(dir, 1 << 20, Duration.ofHours(1), 5), clock)) {
      x.export(List.of(events.get(0)));
      clock.advance(Duration.ofMinutes(59));
      x.export(List.of(events.get(1)));
      assertThat(JsonlExporter.rotatedFiles(dir)).isEmpty();
      clock.advance(Duration.ofMinutes(2));
      x.export(List.of(events.get(2)));
    }
    List<Path> rotated = JsonlExporter.rotatedFiles(dir);
    assertThat(rotated).singleElement().satisfies(p -> assertThat(p.getFileName().toString())
        .isEqualTo("events-20261116T110100000Z.jsonl"));
    assertThat(Files.readAllLines(rotated.getFirst())).hasSize(2);
    assertThat(Files.readAllLines(dir.resolve("events.jsonl"))).hasSize(1);
  }

  @Test
  void config_rejectsNonsense() {
    assertThatThrownBy(() -> new JsonlExporter.Config(dir, 10, Duration.ofHours(1), 1)).hasMessageContaining("max_bytes");
    assertThatThrownBy(() -> new JsonlExporter.Config(dir, 4096, Duration.ZERO, 1)).hasMessageContaining("max_age");
    assertThatThrownBy(() -> new JsonlExporter.Config(dir, 4096, Duration.ofHours(1), 0)).hasMessageContaining("keep_files");
  }
}
