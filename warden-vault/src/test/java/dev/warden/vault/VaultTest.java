package dev.warden.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.kernel.WardenSecurityException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultTest {
  static final String VALUE = "ghp_r3alV4lueOfTheT0kenThatMustNeverLeak";

  @TempDir Path home;

  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-26T10:00:00Z"));
  final InstantSource clock = () -> now.get();

  Vault open() throws Exception {
    Path dir = home.resolve("vault");
    return Vault.open(dir, VaultKey.fromFile(dir.resolve(Vault.KEY_FILE)), clock);
  }

  Vault withGithub() throws Exception {
    Vault v = open();
    v.add("github", Secret.ofUtf8(VALUE), List.of(HostPattern.of("api.github.com")), List.of("repo"));
    return v;
  }

  @Test
  void add_thenReopen_roundTripsMetadataAndValue() throws Exception {
    withGithub();
    Vault again = open();
    assertThat(again.list()).singleElement().satisfies(m -> {
      assertThat(m.name()).isEqualTo("github");
      assertThat(m.hosts()).containsExactly(HostPattern.of("api.github.com"));
      assertThat(m.scopes()).containsExactly("repo");
      assertThat(m.created()).isEqualTo(now.get());
      assertThat(m.suspended()).isFalse();
      assertThat(m.rotatedOrNull()).isNull();
    });
    Injection i = again.resolveForInjection("github", "api.github.com");
    assertThat(i).isInstanceOf(Injection.Granted.class);
    assertThat(((Injection.Granted) i).value().utf8(InsecureSecretAccess.get())).isEqualTo(VALUE);
  }

  @Test
  void vaultDirectory_neverHoldsValueInClearOrEncoded() throws Exception {
    Vault v = withGithub();
    v.rotate("github", Secret.ofUtf8(VALUE + "2"));
    v.suspend("github");
    byte[] raw = VALUE.getBytes(StandardCharsets.UTF_8);
    List<String> forms = List.of(VALUE, Base64.getEncoder().encodeToString(raw), HexFormat.of().formatHex(raw));
    try (Stream<Path> files = Files.walk(home)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String form : forms) {
          assertThat(content).as(f.toString()).doesNotContain(form);
        }
      }
    }
  }

  @Test
  void open_withWrongKey_failsClearly() throws Exception {
    withGithub();
    String other = Base64.getEncoder().encodeToString(new byte[32]);
    assertThatThrownBy(() -> Vault.open(home.resolve("vault"), VaultKey.resolve(home.resolve("none"), Map.of(VaultKey.ENV_VAR, other))))
        .isInstanceOf(WardenSecurityException.class)
        .hasMessageContaining("cannot decrypt")
        .hasMessageContaining("key is wrong or the file was modified")
        .hasMessageContaining(VaultKey.ENV_VAR);
  }

  @Test
  void open_tamperedFile_detected() throws Exception {
    withGithub();
    Path f = home.resolve("vault").resolve(Vault.SECRETS_FILE);
    byte[] b = Files.readAllBytes(f);
    b[b.length - 20] ^= 1;
    Files.write(f, b);
    assertThatThrownBy(this::open).isInstanceOf(WardenSecurityException.class).hasMessageContaining("modified");
  }

  @Test
  void open_truncatedFile_detected() throws Exception {
    withGithub();
    Path f = home.resolve("vault").resolve(Vault.SECRETS_FILE);
    Files.write(f, new byte[] {'W', 'D', 'N'});
    assertThatThrownBy(this::open).isInstanceOf(WardenSecurityException.class).hasMessageContaining("not a Warden vault");
  }

  @Test
  void resolve_hostOutsideBinding_refused() throws Exception {
    Vault v = withGithub();
    Injection i = v.resolveForInjection("github", "evil.example");
    assertThat(i).isInstanceOfSatisfying(Injection.Refused.class, r -> {
      assertThat(r.why()).isEqualTo(Injection.Why.HOST_NOT_BOUND);
      assertThat(r.reason()).doesNotContain(VALUE);
    });
  }

  @Test
  void resolve_unknownName_refused() throws Exception {
    assertThat(open().resolveForInjection("nope", "api.github.com"))
        .isInstanceOfSatisfying(Injection.Refused.class, r -> assertThat(r.why()).isEqualTo(Injection.Why.UNKNOWN));
  }

  @Test
  void suspend_refusesInjection_resumeRestores() throws Exception {
    Vault v = withGithub();
    v.suspend("github");
    assertThat(v.resolveForInjection("github", "api.github.com"))
        .isInstanceOfSatisfying(Injection.Refused.class, r -> assertThat(r.why()).isEqualTo(Injection.Why.SUSPENDED));
    assertThat(v.activeSecret("github")).isEmpty();
    assertThat(open().metadata("github").orElseThrow().suspended()).isTrue();
    v.resume("github");
    assertThat(v.resolveForInjection("github", "api.github.com")).isInstanceOf(Injection.Granted.class);
  }

  @Test
  void suspendAll_thenResumeAll_countsChanges() throws Exception {
    Vault v = withGithub();
    v.add("slack", Secret.ofUtf8("xoxb-1234567890-abcdef"), List.of(HostPattern.of("*.slack.com")), List.of());
    v.suspend("slack");
    assertThat(v.suspendAll()).isEqualTo(1);
    assertThat(v.list()).allMatch(SecretMetadata::suspended);
    assertThat(v.resumeAll()).isEqualTo(2);
    assertThat(v.list()).noneMatch(SecretMetadata::suspended);
  }

  @Test
  void rotate_replacesValueKeepsBindingsAndRecordsTime() throws Exception {
    Vault v = withGithub();
    now.set(now.get().plusSeconds(3600));
    v.rotate("github", Secret.ofUtf8("new-value-0123456789"));
    SecretMetadata m = open().metadata("github").orElseThrow();
    assertThat(m.rotatedOrNull()).isEqualTo(now.get());
    assertThat(m.hosts()).containsExactly(HostPattern.of("api.github.com"));
    Injection.Granted g = (Injection.Granted) v.resolveForInjection("github", "api.github.com");
    assertThat(g.value().utf8(InsecureSecretAccess.get())).isEqualTo("new-value-0123456789");
    assertThat(v.redactor().redact("old " + VALUE)).contains(VALUE);
  }

  @Test
  void rotate_unknownName_failsWithHint() throws Exception {
    assertThatThrownBy(() -> open().rotate("nope", Secret.ofUtf8("x12345678")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warden secrets list");
  }

  @Test
  void add_duplicateName_fails() throws Exception {
    Vault v = withGithub();
    assertThatThrownBy(() -> v.add("github", Secret.ofUtf8("other-value-123"), List.of(HostPattern.of("x.com")), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rotate");
  }

  @Test
  void add_withoutHost_fails() throws Exception {
    assertThatThrownBy(() -> open().add("x", Secret.ofUtf8("value-12345"), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--host");
  }

  @Test
  void remove_deletesAndReportsExistence() throws Exception {
    Vault v = withGithub();
    assertThat(v.remove("github")).isTrue();
    assertThat(v.remove("github")).isFalse();
    assertThat(open().list()).isEmpty();
    assertThat(v.redactor().redact(VALUE)).isEqualTo(VALUE);
  }

  @Test
  void lastUsed_recordedOnInjection() throws Exception {
    Vault v = withGithub();
    v.resolveForInjection("github", "api.github.com");
    assertThat(open().metadata("github").orElseThrow().lastUsedOrNull()).isEqualTo(now.get());
  }

  @Test
  void twoInstances_seeEachOthersChanges() throws Exception {
    Vault a = withGithub();
    Vault b = open();
    b.add("other", Secret.ofUtf8("other-secret-value"), List.of(HostPattern.of("o.example")), List.of());
    a.suspend("github");
    assertThat(open().list()).extracting(SecretMetadata::name).containsExactly("github", "other");
  }

  @Test
  void concurrentAdds_fromTwoInstances_noneLost() throws Exception {
    Vault a = open();
    Vault b = open();
    java.util.List<Thread> ts = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int n = i;
      Vault v = n % 2 == 0 ? a : b;
      ts.add(Thread.ofPlatform().start(() -> {
        try {
          v.add("s" + n, Secret.ofUtf8("value-number-" + n), List.of(HostPattern.of("h" + n + ".example")), List.of());
        } catch (WardenSecurityException e) {
          throw new RuntimeException(e);
        }
      }));
    }
    for (Thread t : ts) {
      t.join();
    }
    assertThat(open().list()).hasSize(8);
  }

  @Test
  void placeholder_formatsAndValidatesName() {
    assertThat(Vault.placeholder("github")).isEqualTo("wdn-cred:github");
    assertThatThrownBy(() -> Vault.placeholder("bad name")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void redactor_coversVaultValues() throws Exception {
    Vault v = withGithub();
    assertThat(v.redactor().redact("token=" + VALUE)).isEqualTo("token=[REDACTED:github]");
  }

  @Test
  void toString_neverShowsValue() throws Exception {
    Vault v = withGithub();
    assertThat(v.toString()).doesNotContain(VALUE);
    assertThat(v.list().toString()).doesNotContain(VALUE);
  }

  @Test
  void clock_isUsedForCreated() throws Exception {
    now.set(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(withGithub().list().getFirst().created().atZone(ZoneOffset.UTC).getYear()).isEqualTo(2030);
  }
}
