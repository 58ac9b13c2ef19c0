package dev.warden.registry.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillPackerTest {
  @TempDir Path tmp;
  private final PublisherKeyPair key = PublisherKeyPair.generate("alice");

  @Test
  void pack_sameFolderTwice_byteIdentical() throws Exception {
    Path folder = TestSkills.weatherSkill(tmp);
    SkillPackage a = SkillPacker.pack(folder, "weather", "1.0.0", "weather", key.publicKey());
    SkillPackage b = SkillPacker.pack(folder, "weather", "1.0.0", "weather", key.publicKey());
    assertThat(b.archive()).isEqualTo(a.archive());
    assertThat(b.manifest()).isEqualTo(a.manifest());
  }

  @Test
  void pack_copyWithOtherTimestampsAndCreationOrder_byteIdentical() throws Exception {
    Path folder = TestSkills.weatherSkill(tmp.resolve("one"));
    Path copy = tmp.resolve("two/weather");
    // create the copy's files in reverse order, with other mtimes and a different group/other mode
    try (Stream<Path> s = Files.walk(folder)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Path target = copy.resolve(folder.relativize(p).toString());
        if (Files.isRegularFile(p)) {
          Files.createDirectories(target.getParent());
          Files.copy(p, target);
          Files.setLastModifiedTime(target, FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
        }
      }
    }
    Files.setPosixFilePermissions(copy.resolve("SKILL.md"), PosixFilePermissions.fromString("rw-rw-rw-"));
    Files.setPosixFilePermissions(copy.resolve("scripts/run.sh"), PosixFilePermissions.fromString("rwx------"));
    SkillPackage a = SkillPacker.pack(folder, "weather", "1.0.0", "d", key.publicKey());
    SkillPackage b = SkillPacker.pack(copy, "weather", "1.0.0", "d", key.publicKey());
    assertThat(b.archive()).isEqualTo(a.archive());
    assertThat(b.manifest()).isEqualTo(a.manifest());
  }

  @Test
  void pack_manifest_listsEveryFileSortedWithHashAndExecutableBit() throws Exception {
    SkillPackage p = SkillPacker.pack(TestSkills.weatherSkill(tmp), "weather", "1.0.0", "d", key.publicKey());
    PackageManifest m = PackageManifest.parse(p.manifest());
    assertThat(m.files()).extracting(PackageManifest.FileEntry::path)
        .containsExactly("SKILL.md", "references/data.bin", "references/deep/notes.md", "scripts/run.sh");
    assertThat(m.files().get(1).size()).isEqualTo(5);
    assertThat(m.files().get(1).sha256()).isEqualTo(dev.warden.kernel.Hashing.sha256Hex(new byte[] {0, 1, 2, 3, (byte) 0xff}));
    assertThat(m.files().get(3).executable()).isTrue();
    assertThat(m.files().get(0).executable()).isFalse();
    assertThat(m.publisherKeyId()).isEqualTo(key.keyId());
    assertThat(m.archiveSha256()).isEqualTo(dev.warden.kernel.Hashing.sha256Hex(p.archive()));
  }

  @Test
  void pack_contentChange_changesManifestHash() throws Exception {
    Path folder = TestSkills.weatherSkill(tmp);
    String before = PackageManifest.parse(SkillPacker.pack(folder, "weather", "1.0.0", "d", key.publicKey()).manifest()).sha256();
    Files.writeString(folder.resolve("SKILL.md"), "changed");
    String after = PackageManifest.parse(SkillPacker.pack(folder, "weather", "1.0.0", "d", key.publicKey()).manifest()).sha256();
    assertThat(after).isNotEqualTo(before);
  }

  @Test
  void pack_symlinkInFolder_refused() throws Exception {
    Path folder = TestSkills.weatherSkill(tmp);
    Files.createSymbolicLink(folder.resolve("passwd"), Path.of("/etc/passwd"));
    assertThatThrownBy(() -> SkillPacker.pack(folder, "weather", "1.0.0", "d", key.publicKey()))
        .isInstanceOfSatisfying(PackageException.class, e -> assertThat(e.reason()).isEqualTo(PackageException.Reason.UNSAFE_ENTRY))
        .hasMessageContaining("symbolic link");
  }

  @Test
  void pack_gitDirectory_skipped() throws Exception {
    Path folder = TestSkills.weatherSkill(tmp);
    Files.createDirectories(folder.resolve(".git"));
    Files.writeString(folder.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    PackageManifest m = PackageManifest.parse(SkillPacker.pack(folder, "weather", "1.0.0", "d", key.publicKey()).manifest());
    assertThat(m.files()).extracting(PackageManifest.FileEntry::path).noneMatch(p -> p.startsWith(".git"));
  }

  @Test
  void pack_badName_refused() throws Exception {
    Path folder = TestSkills.weatherSkill(tmp);
    assertThatThrownBy(() -> SkillPacker.pack(folder, "../Weather", "1.0.0", "d", key.publicKey()))
        .isInstanceOf(PackageException.class).hasMessageContaining("skill name");
  }

  @Test
  void pack_fileOverLimit_refused() throws Exception {
    Path folder = TestSkills.weatherSkill(tmp);
    Files.write(folder.resolve("big.bin"), new byte[PackageLimits.MAX_FILE_BYTES + 1]);
    assertThatThrownBy(() -> SkillPacker.pack(folder, "weather", "1.0.0", "d", key.publicKey()))
        .isInstanceOfSatisfying(PackageException.class, e -> assertThat(e.reason()).isEqualTo(PackageException.Reason.TOO_LARGE));
  }

  @Test
  void sign_withKeyOtherThanManifestNames_refused() throws Exception {
    SkillPackage p = SkillPacker.pack(TestSkills.weatherSkill(tmp), "weather", "1.0.0", "d", key.publicKey());
    assertThatThrownBy(() -> SkillPacker.sign(p, PublisherKeyPair.generate("alice")))
        .isInstanceOf(PackageException.class).hasMessageContaining("signing key");
  }

  @Test
  void writeTo_readFrom_roundTrips() throws Exception {
    SkillPackage p = SkillPacker.packAndSign(TestSkills.weatherSkill(tmp), "weather", "1.0.0", "d", key);
    Path archive = p.writeTo(tmp.resolve("out"));
    assertThat(archive.getFileName().toString()).isEqualTo("weather-1.0.0.tar");
    SkillPackage back = SkillPackage.readFrom(archive);
    assertThat(back.archive()).isEqualTo(p.archive());
    assertThat(back.manifest()).isEqualTo(p.manifest());
    assertThat(back.signatureOrNull()).isEqualTo(p.signatureOrNull());
  }

  @Test
  void pack_everyCorpusSkill_deterministicVerifiesAndUnpacksIdentically() throws Exception {
    Path corpus = Path.of(System.getProperty("warden.shared.dir", "../../shared"), "corpus/real-skills");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(corpus), "shared corpus not present at " + corpus);
    int packed = 0;
    try (Stream<Path> dirs = Files.list(corpus)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        String name = dir.getFileName().toString().toLowerCase(java.util.Locale.ROOT).replace("__", "-").replaceAll("[^a-z0-9-]", "-");
        name = name.substring(0, Math.min(64, name.length()));
        SkillPackage a = SkillPacker.packAndSign(dir, name, "1.0.0", "corpus", key);
        SkillPackage b = SkillPacker.packAndSign(dir, name, "1.0.0", "corpus", key);
        assertThat(b.archive()).as(name).isEqualTo(a.archive());
        assertThat(b.manifest()).as(name).isEqualTo(a.manifest());
        Path out = tmp.resolve("unpacked").resolve(name);
        PackageUnpacker.unpack(PackageVerifier.verifySignatureOnly(a), out);
        assertThat(SkillPacker.pack(out, name, "1.0.0", "corpus", key.publicKey()).archive()).as(name).isEqualTo(a.archive());
        packed++;
      }
    }
    assertThat(packed).isGreaterThan(10);
  }
}
