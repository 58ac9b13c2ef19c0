package dev.warden.sandbox;

import static dev.warden.sandbox.TestSandboxes.bwrap;
import static dev.warden.sandbox.TestSandboxes.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.kernel.WardenSecurityException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BubblewrapSandboxTest {

  @TempDir Path tmp;

  @Test
  void run_echo_exitsZeroWithOutput() throws Exception {
    SandboxResult r = sh(bwrap(), TestSandboxes.workspace(tmp), "echo hello; echo oops >&2; exit 3");
    assertThat(r.termination()).isEqualTo(Termination.EXITED);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("hello\n");
    assertThat(r.stderr()).isEqualTo("oops\n");
    assertThat(r.summary()).contains("exited with status 3");
  }

  @Test
  void run_identity_isUnprivilegedInWorkspace() throws Exception {
    SandboxResult r = sh(bwrap(), TestSandboxes.workspace(tmp),
        "id -u; id -g; pwd; echo $HOME; grep CapEff /proc/self/status; grep NoNewPrivs /proc/self/status;"
            + " grep -c '^Seccomp:.2' /proc/self/status; hostname");
    assertThat(r.stdout().lines().toList()).containsExactly(
        "65534", "65534", "/workspace", "/workspace", "CapEff:\t0000000000000000", "NoNewPrivs:\t1", "1",
        "warden-sandbox");
  }

  @Test
  void run_environment_isOnlyTheAllowlistAndExtras() throws Exception {
    Path ws = TestSandboxes.workspace(tmp);
    SandboxResult r = bwrap().run(SandboxSpec.builder(ws, "/usr/bin/env")
        .env("GITHUB_TOKEN", "wdn-cred:github").build());
    assertThat(r.stdout().lines().sorted().toList()).containsExactly(
        "GITHUB_TOKEN=wdn-cred:github", "HOME=/workspace", "LANG=C.UTF-8",
        "PATH=/usr/local/bin:/usr/bin:/bin", "PWD=/workspace", "TERM=dumb", "TZ=UTC");
  }

  @Test
  void run_workspace_isWritableAndPersistsOnHost() throws Exception {
    Path ws = TestSandboxes.workspace(tmp);
    Files.createDirectories(ws.resolve("sub"));
    SandboxResult r = bwrap().run(SandboxSpec.builder(ws, "/bin/sh", "-c", "pwd; echo data > out.txt; echo t > /tmp/t && cat /tmp/t")
        .workingDirectory("sub").build());
    assertThat(r.stdout()).isEqualTo("/workspace/sub\nt\n");
    assertThat(Files.readString(ws.resolve("sub/out.txt"))).isEqualTo("data\n");
  }

  @Test
  void run_readOnlyBind_isVisibleButNotWritable() throws Exception {
    Path ws = TestSandboxes.workspace(tmp);
    Path skill = Files.createDirectories(tmp.resolve("skill"));
    Files.writeString(skill.resolve("SKILL.md"), "# skill\n");
    SandboxResult r = bwrap().run(SandboxSpec.builder(ws, "/bin/sh", "-c",
            "cat /skills/s/SKILL.md; echo x > /skills/s/new 2>/dev/null || echo refused")
        .readOnlyBind(skill, "/skills/s").build());
    assertThat(r.stdout()).isEqualTo("# skill\nrefused\n");
    assertThat(skill.resolve("new")).doesNotExist();
  }

  @Test
  void run_caBundle_isBoundAndAdvertised() throws Exception {
    Path ws = TestSandboxes.workspace(tmp);
    Path ca = tmp.resolve("ca.pem");
    Files.writeString(ca, "-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n");
    SandboxResult r = bwrap().run(SandboxSpec.builder(ws, "/bin/sh", "-c",
            "head -1 \"$SSL_CERT_FILE\"; echo $NODE_EXTRA_CA_CERTS $REQUESTS_CA_BUNDLE $CURL_CA_BUNDLE")
        .caBundle(ca).build());
    String p = SandboxSpec.CA_BUNDLE_IN_SANDBOX;
    assertThat(r.stdout()).isEqualTo("-----BEGIN CERTIFICATE-----\n" + p + " " + p + " " + p + "\n");
  }

  @Test
  void run_missingWorkspace_throwsWithoutRunning() {
    assertThatThrownBy(() -> sh(bwrap(), tmp.resolve("nope"), "true"))
        .isInstanceOf(WardenSecurityException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void run_missingWorkingDirectory_throws() {
    Path ws = TestSandboxes.workspace(tmp);
    assertThatThrownBy(() -> bwrap().run(SandboxSpec.builder(ws, "true").workingDirectory("nope").build()))
        .isInstanceOf(WardenSecurityException.class)
        .hasMessageContaining("working directory 'nope'");
  }

  @Test
  void run_proxyWithMissingSocket_throws() {
    Path ws = TestSandboxes.workspace(tmp);
    assertThatThrownBy(() -> bwrap().run(SandboxSpec.builder(ws, "true")
            .network(NetworkAccess.proxy(tmp.resolve("proxy.sock"))).build()))
        .isInstanceOf(WardenSecurityException.class)
        .hasMessageContaining("egress proxy socket");
  }

  @Test
  void run_commandNotFound_exits127() throws Exception {
    Path ws = TestSandboxes.workspace(tmp);
    SandboxResult r = bwrap().run(SandboxSpec.builder(ws, "no-such-command").build());
    assertThat(r.termination()).isEqualTo(Termination.EXITED);
    assertThat(r.exitCode()).isEqualTo(127);
    SandboxResult abs = bwrap().run(SandboxSpec.builder(ws, "/workspace/missing").build());
    assertThat(abs.exitCode()).isEqualTo(127);
  }

  @Test
  void run_bareAndRelativeCommandNames_areFound() throws Exception {
    Path ws = TestSandboxes.workspace(tmp);
    Files.writeString(ws.resolve("hello.sh"), "#!/bin/sh\necho from-script \"$@\"\n");
    Files.setPosixFilePermissions(ws.resolve("hello.sh"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(bwrap().run(SandboxSpec.builder(ws, "echo", "a", "b").build()).stdout()).isEqualTo("a b\n");
    assertThat(bwrap().run(SandboxSpec.builder(ws, "./hello.sh", "x").build()).stdout()).isEqualTo("from-script x\n");
  }

  @Test
  void describe_namesLayers() {
    assertThat(bwrap().describe()).startsWith("bubblewrap ").contains("seccomp").contains("landlock");
  }

  @Test
  void launcherEnvironment_leaksThroughProcOne_soTheRealOneIsEmpty() throws Exception {
    Path ws = TestSandboxes.workspace(tmp);
    BubblewrapSandbox leaky = BubblewrapSandbox.create(Map.of("LAUNCHER_SECRET", "launcher-secret-77"));
    // --clearenv keeps the launcher's variables out of the command's own environment ...
    assertThat(sh(leaky, ws, "env; cat /proc/self/environ").stdout()).doesNotContain("launcher-secret-77");
    // ... but bwrap's init (pid 1 inside) keeps them in /proc/1/environ. Without the Landlock
    // filesystem layer the command can read it; with it, Landlock's ptrace rule (no access to
    // processes outside the domain) refuses. Either way, the real launcher environment is empty.
    String proc1 = sh(leaky, ws, "cat /proc/1/environ").stdout();
    if (leaky.describe().contains("landlock filesystem ruleset (in-sandbox helper)")) {
      assertThat(proc1).isEmpty();
    } else {
      assertThat(proc1).contains("launcher-secret-77");
    }
    SandboxResult real = sh(bwrap(), ws, "cat /proc/1/environ | wc -c");
    assertThat(real.stdout().strip()).isEqualTo("0");
  }

  @Test
  void run_manySequentialCommands_stayHealthy() throws Exception {
    Path ws = TestSandboxes.workspace(tmp);
    for (int i = 0; i < 10; i++) {
      SandboxResult r = bwrap().run(SandboxSpec.builder(ws, "/bin/echo", String.valueOf(i))
          .limits(Limits.DEFAULT.withWallTime(Duration.ofSeconds(10))).build());
      assertThat(r.stdout()).isEqualTo(i + "\n");
    }
  }

  @Test
  void create_withoutBubblewrap_failsClosedWithInstallHint() {
    assertThatThrownBy(() -> BubblewrapSandbox.create(Map.of(), new String[] {tmp.toString()}))
        .isInstanceOf(WardenSecurityException.class)
        .hasMessageContaining("apt-get install -y bubblewrap")
        .hasMessageContaining("sandbox: host");
  }

  @Test
  void run_workspaceUnderUntraversableDirectory_explainsTheFix() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        dev.warden.sandbox.internal.HostFacts.effectiveUid() == 0, "only root drops to uid 65534");
    Path closed = Files.createDirectories(tmp.resolve("closed"));
    java.nio.file.Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
    java.nio.file.Files.setPosixFilePermissions(closed, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Path ws = Files.createDirectories(closed.resolve("ws"));
    assertThatThrownBy(() -> sh(bwrap(), ws, "true"))
        .isInstanceOf(WardenSecurityException.class)
        .hasMessageContaining("cannot traverse")
        .hasMessageContaining("chmod o+x " + closed);
  }

  @Test
  void run_rootOwnedWorkspaceFiles_areHandedToTheSandboxUser() throws Exception {
    Path ws = TestSandboxes.workspace(tmp);
    Files.writeString(ws.resolve("notes.txt"), "from the gateway\n");
    SandboxResult r = sh(bwrap(), ws, "cat notes.txt; echo more >> notes.txt && echo appended");
    assertThat(r.stdout()).isEqualTo("from the gateway\nappended\n");
  }

  @Test
  void run_workingDirectoryThroughSymlinkOutOfWorkspace_isASetupFailure() throws Exception {
    Path ws = TestSandboxes.workspace(tmp);
    Path outside = Files.createDirectories(tmp.resolve("outside/dir"));
    Files.createSymbolicLink(ws.resolve("lnk"), tmp.resolve("outside"));
    // On the host lnk/dir is a directory; inside the sandbox the link points nowhere.
    assertThatThrownBy(() -> bwrap().run(SandboxSpec.builder(ws, "true").workingDirectory("lnk/dir").build()))
        .isInstanceOf(WardenSecurityException.class)
        .hasMessageContaining("could not be set up")
        .hasMessageContaining("chdir");
    assertThat(outside).exists();
  }

  @Test
  void landlockFilesystemLayer_confinesWritesAndExecWithinWhatIsMounted() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        bwrap().describe().contains("landlock filesystem ruleset (in-sandbox helper)"), "x86_64 with Landlock only");
    Path ws = TestSandboxes.workspace(tmp);
    // /dev is a tmpfs the sandbox user owns: the mount namespace alone lets it create files there
    SandboxResult r = sh(bwrap(), ws, "touch /dev/planted 2>&1 || echo refused-dev; mkdir /dev/d 2>&1 || echo refused-mkdir;"
        + " echo ok > /dev/null && echo devnull-ok; echo w > /workspace/w && echo ws-ok; echo t > /tmp/t && echo tmp-ok;"
        + " cat /etc/passwd > /dev/null && echo read-etc-ok; echo x >> /etc/passwd 2>/dev/null || echo refused-etc;"
        + " ls / > /dev/null && echo ls-root-ok");
    assertThat(r.stdout()).contains("refused-dev", "refused-mkdir", "devnull-ok", "ws-ok", "tmp-ok",
        "read-etc-ok", "refused-etc", "ls-root-ok");
  }

  @Test
  void run_ownershipHandover_neverFollowsLinksOutOfTheWorkspace() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        dev.warden.sandbox.internal.HostFacts.effectiveUid() == 0, "only root hands files over");
    Path ws = TestSandboxes.workspace(tmp);
    Path hostDir = Files.createDirectories(tmp.resolve("host-owned"));
    Path hostFile = Files.writeString(hostDir.resolve("keep.txt"), "root's");
    Files.createDirectories(ws.resolve("a/b"));
    Files.writeString(ws.resolve("a/b/deep.txt"), "gateway wrote this\n");
    Files.createSymbolicLink(ws.resolve("a/link"), hostDir);
    SandboxResult r = sh(bwrap(), ws, "echo more >> a/b/deep.txt && echo appended");
    assertThat(r.stdout()).isEqualTo("appended\n");
    assertThat(dev.warden.sandbox.internal.HostFacts.ownerUid(ws.resolve("a/b/deep.txt"))).isEqualTo(65534);
    assertThat(dev.warden.sandbox.internal.HostFacts.ownerUid(hostDir)).isZero();
    assertThat(dev.warden.sandbox.internal.HostFacts.ownerUid(hostFile)).isZero();
  }

  @Test
  void run_afterTempCleanerRemovedPrivateFiles_rewritesThem() throws Exception {
    BubblewrapSandbox own = BubblewrapSandbox.create();
    Path ws = TestSandboxes.workspace(tmp);
    String d = own.describe();
    assertThat(d).isNotEmpty();
    java.lang.reflect.Field f = BubblewrapSandbox.class.getDeclaredField("privateDir");
    f.setAccessible(true);
    Path dir = (Path) f.get(own);
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    SandboxResult r = sh(own, ws, "echo fine; grep -c nobody /etc/passwd");
    assertThat(r.stdout()).isEqualTo("fine\n1\n");
  }
}
