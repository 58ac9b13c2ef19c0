package dev.warden.registry.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageManifestTest {
  private static final String H = "a".repeat(64);

  private static PackageManifest manifest(List<PackageManifest.FileEntry> files) {
    return new PackageManifest(PackageManifest.FORMAT, "weather", "1.0.0", "d", "alice", H, H, files);
  }

  @Test
  void canonicalBytes_parseRoundTrip_identical() throws Exception {
    PackageManifest m = manifest(List.of(new PackageManifest.FileEntry("SKILL.md", 3, H, false)));
    byte[] bytes = m.canonicalBytes();
    assertThat(PackageManifest.parse(bytes)).isEqualTo(m);
    assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("{\"archiveSha256\"").doesNotContain(" ");
  }

  @Test
  void unsortedOrDuplicateFiles_refused() {
    assertThatThrownBy(() -> manifest(List.of(new PackageManifest.FileEntry("b", 1, H, false), new PackageManifest.FileEntry("a", 1, H, false))))
        .hasMessageContaining("sorted");
    assertThatThrownBy(() -> manifest(List.of(new PackageManifest.FileEntry("a", 1, H, false), new PackageManifest.FileEntry("a", 1, H, false))))
        .hasMessageContaining("sorted and unique");
  }

  @Test
  void traversalPath_refused() {
    assertThatThrownBy(() -> manifest(List.of(new PackageManifest.FileEntry("../x", 1, H, false)))).hasMessageContaining("traversal");
  }

  @Test
  void parse_unknownField_refused() {
    String json = new String(manifest(List.of()).canonicalBytes(), StandardCharsets.UTF_8).replace("{\"archiveSha256\"", "{\"aaa\":1,\"archiveSha256\"");
    assertThatThrownBy(() -> PackageManifest.parse(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(PackageException.class, e -> assertThat(e.reason()).isEqualTo(PackageException.Reason.TAMPERED_MANIFEST));
  }

  @Test
  void parse_duplicateKey_refused() {
    String json = new String(manifest(List.of()).canonicalBytes(), StandardCharsets.UTF_8).replace("\"name\":\"weather\"", "\"name\":\"weather\",\"name\":\"evil\"");
    assertThatThrownBy(() -> PackageManifest.parse(json.getBytes(StandardCharsets.UTF_8))).isInstanceOf(PackageException.class);
  }

  @Test
  void otherFormat_refused() {
    assertThatThrownBy(() -> new PackageManifest("warden-skill-package/2", "weather", "1.0.0", "d", "alice", H, H, List.of()))
        .hasMessageContaining("unsupported package format");
  }

  @Test
  void badVersionOrHash_refused() {
    assertThatThrownBy(() -> new PackageManifest(PackageManifest.FORMAT, "weather", "v1", "d", "alice", H, H, List.of())).hasMessageContaining("version");
    assertThatThrownBy(() -> new PackageManifest(PackageManifest.FORMAT, "weather", "1.0.0", "d", "alice", "A".repeat(64), H, List.of())).hasMessageContaining("hex");
  }
}
