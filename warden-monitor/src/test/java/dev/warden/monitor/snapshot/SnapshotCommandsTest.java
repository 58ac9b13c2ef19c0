package dev.warden.monitor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotCommandsTest {
  @TempDir Path dir;
  TestHome t;
  SnapshotStore store;
  final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

  @BeforeEach
  void setUp() throws Exception {
    t = new TestHome(dir);
    store = t.store();
  }

  @AfterEach
  void tearDown() throws Exception {
    t.close();
  }

  String text() {
    String s = buf.toString(StandardCharsets.UTF_8);
    buf.reset();
    return s;
  }

  @Test
  void createListDiffRestore_endToEnd() throws Exception {
    assertThat(SnapshotCommands.create(store, "manual", out, false)).isZero();
    SnapshotId id = store.list().getFirst().id();
    assertThat(text()).contains("snapshot " + id + " taken");
    assertThat(SnapshotCommands.list(store, out, false)).isZero();
    assertThat(text()).contains(id.value()).contains("manual");

    t.write("workspace/AGENTS.md", "tampered");
    assertThat(SnapshotCommands.diff(store, id, null, out, false)).isEqualTo(1);
    assertThat(text()).contains("M workspace/AGENTS.md  [UNEXPLAINED]").contains("+tampered");
    assertThat(SnapshotCommands.diff(store, id, null, out, true)).isEqualTo(1);
    assertThat(text()).contains("\"attribution\" : \"unexplained\"");

    assertThat(SnapshotCommands.restore(store, id, out, false)).isZero();
    assertThat(text()).contains("wrote   workspace/AGENTS.md").contains("undo with `warden snapshot restore snap-");
    assertThat(SnapshotCommands.diff(store, id, null, out, false)).isZero();
  }

  @Test
  void list_tamperedSnapshot_isFlaggedWithExitOne() throws Exception {
    SnapshotManifest m = store.create("a");
    Path json = t.home.snapshots().resolve("manifests/" + m.id() + ".json");
    Files.writeString(json, Files.readString(json).replace("\"a\"", "\"b\""));
    assertThat(SnapshotCommands.list(store, out, true)).isEqualTo(1);
    assertThat(text()).contains("\"verified\" : false");
  }

  @Test
  void diff_unknownId_isExitTwo() {
    assertThat(SnapshotCommands.diff(store, SnapshotId.of("snap-nope"), null, out, false)).isEqualTo(2);
    assertThat(text()).contains("no snapshot snap-nope");
  }
}
