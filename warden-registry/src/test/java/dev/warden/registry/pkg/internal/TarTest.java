package dev.warden.registry.pkg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.registry.pkg.PackageException;
import dev.warden.registry.pkg.PackageException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TarTest {
  @Test
  void writeThenRead_roundTrips_includingLongPaths() throws Exception {
    String longPath = "a/" + "b".repeat(90) + "/" + "c".repeat(90) + "/file.txt";
    List<Tar.Entry> in = List.of(
        new Tar.Entry("SKILL.md", Tar.MODE_FILE, "hi".getBytes(StandardCharsets.UTF_8)),
        new Tar.Entry(longPath, Tar.MODE_FILE, new byte[513]),
        new Tar.Entry("run.sh", Tar.MODE_EXECUTABLE, new byte[0]));
    List<Tar.Entry> out = Tar.read(Tar.write(in.stream().sorted((x, y) -> PackagePaths.compare(x.path(), y.path())).toList()));
    assertThat(out).extracting(Tar.Entry::path).containsExactly("SKILL.md", longPath, "run.sh");
    assertThat(out.get(1).content()).hasSize(513);
    assertThat(out.get(2).mode()).isEqualTo(Tar.MODE_EXECUTABLE);
  }

  @Test
  void write_isReadableByGnuTar() throws Exception {
    byte[] archive = Tar.write(List.of(new Tar.Entry("dir/x.txt", Tar.MODE_FILE, "x\n".getBytes(StandardCharsets.UTF_8))));
    java.nio.file.Path f = java.nio.file.Files.createTempFile("warden", ".tar");
    try {
      java.nio.file.Files.write(f, archive);
      Process p = new ProcessBuilder("tar", "-tvf", f.toString()).redirectErrorStream(true).start();
      String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).isZero();
      assertThat(listing).contains("dir/x.txt").contains("-rw-r--r--");
    } finally {
      java.nio.file.Files.delete(f);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../evil.sh", "a/../../evil.sh", "/etc/cron.d/evil", "a//b", "./a", "a\\..\\b", "C:evil"})
  void read_unsafePath_refused(String name) {
    byte[] archive = new RawTar().file(name, "x").build();
    assertThatThrownBy(() -> Tar.read(archive))
        .isInstanceOfSatisfying(PackageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSAFE_ENTRY));
  }

  @ParameterizedTest
  @ValueSource(chars = {'1', '2', '3', '5', '6', 'x', 'g', 'L'})
  void read_nonRegularEntry_refused(char type) {
    byte[] archive = new RawTar().entry("link", type, "0000644", new byte[0]).build();
    assertThatThrownBy(() -> Tar.read(archive))
        .isInstanceOfSatisfying(PackageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSAFE_ENTRY))
        .hasMessageContaining("regular files only");
  }

  @Test
  void read_setuidMode_refused() {
    byte[] archive = new RawTar().entry("x", '0', "0004755", new byte[0]).build();
    assertThatThrownBy(() -> Tar.read(archive)).hasMessageContaining("mode 4755");
  }

  @Test
  void read_duplicateEntry_refused() {
    byte[] archive = new RawTar().file("a", "1").file("a", "2").build();
    assertThatThrownBy(() -> Tar.read(archive)).hasMessageContaining("out of order or duplicated");
  }

  @Test
  void read_corruptedHeader_refused() {
    byte[] archive = new RawTar().file("a", "1").build();
    archive[0] = 'b';
    assertThatThrownBy(() -> Tar.read(archive)).hasMessageContaining("checksum");
  }

  @Test
  void read_declaredSizeOverLimit_refusedBeforeAllocating() {
    byte[] archive = new RawTar().file("a", "1").build();
    byte[] size = String.format("%011o", 1L << 32).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(size, 0, archive, 124, 11);
    // fix the checksum so the size check itself is reached
    java.util.Arrays.fill(archive, 148, 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += archive[i] & 0xff;
    }
    byte[] chk = (String.format("%06o", sum) + "\0 ").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(chk, 0, archive, 148, 8);
    assertThatThrownBy(() -> Tar.read(archive))
        .isInstanceOfSatisfying(PackageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
  }

  @Test
  void read_trailingGarbage_refused() {
    byte[] a = new RawTar().file("a", "1").build();
    byte[] withGarbage = java.util.Arrays.copyOf(a, a.length + 512);
    withGarbage[withGarbage.length - 1] = 1;
    assertThatThrownBy(() -> Tar.read(withGarbage)).hasMessageContaining("after its end");
  }
}
