package dev.warden.cli;

import static dev.warden.cli.CliTest.warden;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.registry.server.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The skills commands in-process: keygen, pack, verify, publish, trust, install, list, remove, scan. */
class SkillsCommandTest {
  @TempDir Path dir;
  RegistryServer registry;
  String token;
  Path home;

  @BeforeEach
  void setUp() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    registry = RegistryServer.start(0, dir.resolve("registry"));
    token = registry.issueToken("alice");
    home = dir.resolve("home");
    Files.createDirectories(home);
    Files.writeString(home.resolve("warden.yaml"), "registry: " + registry.baseUri() + "\nskills:\n  trust: explicit\n");
    Path skill = dir.resolve("src/notes");
    Files.createDirectories(skill);
    Files.writeString(skill.resolve("SKILL.md"), "---\nname: notes\ndescription: Keep short notes.\n---\n\n# Notes\n\nWrite notes to notes.md.\n");
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  @Test
  void keygenPackPublishTrustInstallListRemove_roundTrip() {
    String keys = dir.resolve("keys").toString();
    assertThat(warden("skills", "keygen", "alice", "--out", keys).code()).isZero();
    CliTest.Run pack = warden("skills", "pack", dir.resolve("src/notes").toString(), "--name", "notes", "--version", "1.0.0",
        "--publisher", "alice", "--key", keys, "--out", dir.toString());
    assertThat(pack.code()).as(pack.err()).isZero();
    assertThat(pack.out()).contains("signed package");
    String pkg = dir.resolve("notes-1.0.0.tar").toString();
    CliTest.Run verify = warden("skills", "verify", pkg, "--home", home.toString());
    assertThat(verify.out()).contains("ok: notes@1.0.0 signed by alice").contains("unknown");
    assertThat(warden("registry", "publish", pkg, "--registry", registry.baseUri().toString(), "--token", token, "--home",
        dir.resolve("pubhome").toString()).out()).contains("published notes@1.0.0");

    CliTest.Run refused = warden("skills", "install", "notes", "--home", home.toString());
    assertThat(refused.code()).isNotZero();
    assertThat(refused.err()).contains("publisher 'alice'").contains("warden trust add");

    assertThat(warden("trust", "add", dir.resolve("keys/alice.pub.json").toString(), "--home", home.toString()).out())
        .contains("trusted alice");
    CliTest.Run ok = warden("skills", "install", "notes", "--home", home.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("installed notes@1.0.0").contains("(trusted)").contains("transparency log");
    assertThat(warden("skills", "list", "--home", home.toString()).out()).contains("notes  [managed, vetted: trusted text]");
    assertThat(warden("trust", "list", "--home", home.toString()).out()).contains("alice").contains("trusted");
    assertThat(warden("skills", "remove", "notes", "--home", home.toString()).out()).contains("removed notes");
    assertThat(home.resolve("skills/notes")).doesNotExist();
  }

  @Test
  void verify_tamperedPackage_fails() throws Exception {
    String keys = dir.resolve("keys").toString();
    warden("skills", "keygen", "alice", "--out", keys);
    warden("skills", "pack", dir.resolve("src/notes").toString(), "--name", "notes", "--version", "1.0.0", "--publisher", "alice",
        "--key", keys, "--out", dir.toString());
    Path tar = dir.resolve("notes-1.0.0.tar");
    byte[] b = Files.readAllBytes(tar);
    int at = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("short notes");
    b[at] = 'X';
    Files.write(tar, b);
    CliTest.Run r = warden("skills", "verify", tar.toString(), "--home", home.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.VERIFY_FAILED);
    assertThat(r.err()).contains("FAILED");
  }

  @Test
  void installLocal_withoutFlagIsImpossible_withFlagWorks() {
    String keys = dir.resolve("keys").toString();
    warden("skills", "keygen", "alice", "--out", keys);
    warden("skills", "pack", dir.resolve("src/notes").toString(), "--name", "notes", "--version", "1.0.0", "--publisher", "alice",
        "--key", keys, "--out", dir.toString());
    warden("trust", "add", dir.resolve("keys/alice.pub.json").toString(), "--home", home.toString());
    CliTest.Run r = warden("skills", "install", "notes", "--allow-local", dir.resolve("notes-1.0.0.tar").toString(), "--home", home.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("installed notes@1.0.0 from local:");
  }

  @Test
  void scan_maliciousCorpusSkill_exitsNonZero() {
    Path corpus = Path.of("").toAbsolutePath().resolveSibling("warden-registry/src/test/resources/scan-corpus/malicious/env-checker");
    CliTest.Run r = warden("skills", "scan", "--quiet", corpus.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).containsIgnoringCase("malicious");
  }
}
