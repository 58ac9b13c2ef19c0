package dev.warden.sandbox;

import static dev.warden.sandbox.TestSandboxes.bwrap;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.kernel.WardenSecurityException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The escape battery: every attempt is made for real inside a real bubblewrap sandbox and must
 * fail. After each resource attack a normal command must still run (the JVM stays healthy).
 */
class SandboxEscapeTest {

  /** Set on the test JVM by surefire: the gateway's own environment. */
  private static final String GATEWAY_SECRET = "gateway-secret-3f9c1d";
  private static final String VAULT_SECRET = "vault-secret-value-8a7e";

  @TempDir Path tmp;
  private Path ws;
  private Path fakeWardenHome;
  private Path fakeUserHome;

  private SandboxResult run(String script) throws WardenSecurityException {
    return run(script, Limits.DEFAULT.withWallTime(Duration.ofSeconds(20)));
  }

  private SandboxResult run(String script, Limits limits) throws WardenSecurityException {
    if (ws == null) {
      ws = TestSandboxes.workspace(tmp);
    }
    return bwrap().run(SandboxSpec.builder(ws, "/bin/sh", "-c", script).limits(limits).build());
  }

  private void assertStillHealthy() throws WardenSecurityException {
    SandboxResult r = run("echo still-alive");
    assertThat(r.succeeded()).as(r.summary()).isTrue();
    assertThat(r.stdout()).isEqualTo("still-alive\n");
  }

  @AfterEach
  void removeFakeHomes() throws IOException {
    for (Path p : new Path[] {fakeWardenHome, fakeUserHome}) {
      if (p != null && Files.exists(p)) {
        try (Stream<Path> all = Files.walk(p)) {
          all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }
  }

  // --- reading what is not granted ---

  @Test
  void readEtcShadow_fails() throws Exception {
    SandboxResult r = run("cat /etc/shadow; echo status=$?; ls /etc");
    assertThat(r.stdout()).contains("status=1").doesNotContain("root:").doesNotContain("shadow");
    assertThat(Files.readString(Path.of("/etc/passwd"))).isNotEmpty(); // the host file exists
  }

  @Test
  void readWardenHomeAndVaultUnderRoot_fails() throws Exception {
    fakeWardenHome = Path.of("/root/.warden-escape-test-" + UUID.randomUUID());
    Path vault = Files.createDirectories(fakeWardenHome.resolve("vault"));
    Files.writeString(vault.resolve("secrets.enc"), VAULT_SECRET);
    Files.writeString(fakeWardenHome.resolve("warden.yaml"), "model_key: " + VAULT_SECRET);
    SandboxResult r = run("cat " + vault.resolve("secrets.enc") + "; cat " + fakeWardenHome.resolve("warden.yaml")
        + "; ls -la /root; ls -d /root/.warden*; echo end");
    assertThat(r.stdout() + r.stderr()).doesNotContain(VAULT_SECRET).doesNotContain("model_key");
    assertThat(r.stderr()).contains("cannot access '/root': No such file");
  }

  @Test
  void readVaultUnderHome_fails() throws Exception {
    fakeUserHome = Path.of("/home/warden-escape-test-" + UUID.randomUUID());
    Path vault = Files.createDirectories(fakeUserHome.resolve(".warden/vault"));
    Files.writeString(vault.resolve("key"), VAULT_SECRET);
    SandboxResult r = run("cat " + vault.resolve("key") + "; ls -la /home; find / -xdev -name key -path '*vault*' 2>/dev/null; echo end");
    assertThat(r.stdout() + r.stderr()).doesNotContain(VAULT_SECRET);
    assertThat(r.stderr()).contains("cannot access '/home': No such file");
    assertThat(r.stdout()).isEqualTo("end\n");
  }

  @Test
  void readGatewayEnvironmentAndProcEnviron_fails() throws Exception {
    assertThat(System.getenv("WARDEN_TEST_GATEWAY_SECRET")).as("surefire sets it").isEqualTo(GATEWAY_SECRET);
    long jvmPid = ProcessHandle.current().pid();
    SandboxResult r = run("env; cat /proc/1/environ; cat /proc/self/environ; "
        + "for p in /proc/[0-9]*; do cat $p/environ 2>/dev/null; cat $p/cmdline 2>/dev/null; echo; done; "
        + "cat /proc/" + jvmPid + "/environ; ls /proc | grep -c '^[0-9]'");
    assertThat(r.stdout() + r.stderr()).doesNotContain(GATEWAY_SECRET).doesNotContain("WARDEN_TEST");
    // only the sandbox's own few processes exist in its pid namespace
    String[] lines = r.stdout().strip().split("\n");
    assertThat(Integer.parseInt(lines[lines.length - 1].strip())).isLessThan(10);
  }

  @Test
  void hostPathsOfBinds_doNotShowInProcOneCmdline() throws Exception {
    // bwrap takes its options from a file descriptor, so the host paths of its binds are not in
    // pid 1's command line. (/proc/self/mountinfo still names bind sources: a path, not access.)
    SandboxResult r = run("cat /proc/1/cmdline | tr '\\0' ' '; cat /proc/1/environ");
    assertThat(r.stdout()).doesNotContain(tmp.toString()).doesNotContain("/tmp/warden-sandbox").contains("--args");
  }

  // --- writing outside the workspace ---

  @Test
  void writeOutsideWorkspace_fails() throws Exception {
    String marker = "warden-escape-" + UUID.randomUUID();
    SandboxResult r = run("for d in / /usr /usr/bin /etc /etc/ssl /bin /proc /proc/sys/kernel /sys; do touch $d/" + marker
        + " 2>/dev/null && echo WROTE:$d; done; echo x > /tmp/" + marker + " && echo private-tmp-ok; echo end");
    assertThat(r.stdout()).doesNotContain("WROTE:").contains("private-tmp-ok").contains("end");
    for (String d : new String[] {"/", "/usr", "/usr/bin", "/etc", "/tmp"}) {
      assertThat(Path.of(d, marker)).as("host " + d).doesNotExist();
    }
  }

  @Test
  void symlinkInWorkspace_cannotReachHostFiles() throws Exception {
    ws = TestSandboxes.workspace(tmp);
    Path secret = tmp.resolve("beside-workspace.txt");
    Files.writeString(secret, VAULT_SECRET);
    Files.createSymbolicLink(ws.resolve("shadow"), Path.of("/etc/shadow"));
    Files.createSymbolicLink(ws.resolve("abs"), secret);
    Files.createSymbolicLink(ws.resolve("rel"), Path.of("../beside-workspace.txt"));
    Files.createSymbolicLink(ws.resolve("rootdir"), Path.of("/root"));
    SandboxResult r = run("cat shadow abs rel; ls rootdir/; ln -s /etc/shadow mine && cat mine; "
        + "ln -s / up && ls up/ ; echo end");
    assertThat(r.stdout() + r.stderr()).doesNotContain(VAULT_SECRET).doesNotContain("root:").doesNotContain(".bashrc");
    assertThat(r.stdout()).contains("end");
  }

  @Test
  void hardlinkOutOfWorkspace_fails() throws Exception {
    SandboxResult r = run("ln /etc/passwd pw && echo LINKED1; ln /usr/bin/sh sh && echo LINKED2; "
        + "ln /etc/ssl/certs/ca-certificates.crt ca && echo LINKED3; echo end");
    assertThat(r.stdout()).doesNotContain("LINKED").contains("end");
    assertThat(r.stderr()).containsIgnoringCase("cross-device");
  }

  // --- network ---

  @Test
  void connectToHostLoopbackServer_fails() throws Exception {
    AtomicInteger accepted = new AtomicInteger();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        while (!server.isClosed()) {
          try (Socket s = server.accept()) {
            accepted.incrementAndGet();
          } catch (IOException e) {
            return;
          }
        }
      });
      int port = server.getLocalPort();
      SandboxResult r = run("curl -sS --max-time 3 http://127.0.0.1:" + port + "/ ; echo curl=$?; "
          + "python3 -c \"import socket; socket.create_connection(('127.0.0.1', " + port + "), 3)\" 2>&1 | tail -1; "
          + "bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + port + "' 2>&1; echo bash=$?");
      assertThat(r.stdout()).contains("curl=7").contains("bash=1").containsAnyOf("PermissionError", "ConnectionRefused");
      assertThat(accepted.get()).isZero();
    }
  }

  @Test
  void connectToOutsideAddress_failsImmediately() throws Exception {
    // 192.0.2.1 is TEST-NET-1: nothing may be sent; without a route the connect fails at once.
    SandboxResult r = run("curl -sS --connect-timeout 5 http://192.0.2.1/ ; echo curl=$?; "
        + "python3 -c \"import socket; socket.create_connection(('192.0.2.1', 80), 5)\" 2>&1 | tail -1");
    assertThat(r.stdout()).contains("curl=7").containsAnyOf("PermissionError", "Network is unreachable");
    assertThat(r.wallDuration()).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void onlyLoopbackInterfaceExists() throws Exception {
    SandboxResult r = run("ls /sys/class/net 2>/dev/null; cat /proc/net/dev | tail -n +3 | cut -d: -f1");
    assertThat(r.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList())
        .containsOnly("lo");
  }

  @Test
  void signalTheGateway_fails() throws Exception {
    long jvmPid = ProcessHandle.current().pid();
    SandboxResult r = run("kill -9 " + jvmPid + " 2>&1; echo kill=$?; kill -9 -1 2>&1; echo killall=$?");
    assertThat(r.stdout()).contains("kill=1");
    assertThat(ProcessHandle.current().isAlive()).isTrue();
    assertStillHealthy();
  }

  @Test
  void otherWorkspaces_andHostSysAndDevices_areInvisible() throws Exception {
    Path other = Files.createDirectories(tmp.resolve("other-session"));
    Files.writeString(other.resolve("private.txt"), VAULT_SECRET);
    SandboxResult r = run("ls /sys 2>&1 | head -1; ls /dev; cat " + other.resolve("private.txt") + " 2>&1; "
        + "cat /dev/sda /dev/mem /dev/kmsg 2>&1 | head -3");
    assertThat(r.stdout()).doesNotContain(VAULT_SECRET).contains("/sys").doesNotContain("sda\n");
    assertThat(r.stdout().lines().filter(l -> l.equals("null") || l.equals("urandom")).count()).isEqualTo(2);
  }

  @Test
  void rawAndPacketSockets_areRefused() throws Exception {
    SandboxResult r = run("python3 -c \"import socket\n"
        + "for fam, typ in [(socket.AF_PACKET, socket.SOCK_RAW), (socket.AF_INET, socket.SOCK_RAW)]:\n"
        + "  try:\n    socket.socket(fam, typ, 0); print('opened')\n"
        + "  except OSError as e:\n    print('refused', e.errno)\"");
    assertThat(r.stdout()).doesNotContain("opened").contains("refused");
  }

  // --- kernel attack surface ---

  @Test
  void ptrace_isRefused() throws Exception {
    SandboxResult r = run("python3 -c \"import ctypes; l=ctypes.CDLL(None, use_errno=True); "
        + "print('attach', l.ptrace(16, 1, 0, 0), ctypes.get_errno()); "
        + "print('traceme', l.ptrace(0, 0, 0, 0), ctypes.get_errno())\"; "
        + "strace -f true 2>&1 | head -2; echo strace=$?");
    assertThat(r.stdout()).contains("attach -1 1").contains("traceme -1 1");
    if (Files.isExecutable(Path.of("/usr/bin/strace"))) {
      assertThat(r.stdout()).containsIgnoringCase("Operation not permitted");
    }
  }

  @Test
  void mount_isRefused() throws Exception {
    SandboxResult r = run("python3 -c \"import ctypes; l=ctypes.CDLL(None, use_errno=True); "
        + "print('mount', l.mount(b'none', b'/tmp', b'tmpfs', 0, None), ctypes.get_errno()); "
        + "print('umount', l.umount2(b'/workspace', 2), ctypes.get_errno())\"; "
        + "mount -t tmpfs none /workspace 2>&1; echo mount=$?");
    assertThat(r.stdout()).contains("mount -1 1").contains("umount -1 1").doesNotContain("mount=0");
  }

  @Test
  void unshareAndSetns_areRefused() throws Exception {
    SandboxResult r = run("python3 -c \"import ctypes, os; l=ctypes.CDLL(None, use_errno=True); "
        + "print('userns', l.unshare(0x10000000), ctypes.get_errno()); "
        + "print('mntns', l.unshare(0x00020000), ctypes.get_errno()); "
        + "fd=os.open('/proc/self/ns/net', os.O_RDONLY); print('setns', l.setns(fd, 0), ctypes.get_errno()); "
        + "print('clone-newuser', l.syscall(56, 0x10000000 | 17, 0, 0, 0, 0), ctypes.get_errno())\"; "
        + "unshare -U true 2>&1; echo unshare=$?");
    assertThat(r.stdout()).contains("userns -1 1").contains("mntns -1 1").contains("setns -1 1")
        .contains("clone-newuser -1 1").doesNotContain("unshare=0");
  }

  @Test
  void bpfKeyctlPerfIoUring_areRefused() throws Exception {
    SandboxResult r = run("python3 -c \"import ctypes; l=ctypes.CDLL(None, use_errno=True); "
        + "[print(n, l.syscall(nr, 0, 0, 0, 0, 0), ctypes.get_errno()) for n, nr in "
        + "[('bpf', 321), ('keyctl', 250), ('perf', 298), ('io_uring', 425), ('userfaultfd', 323), "
        + "('open_by_handle_at', 304), ('process_vm_readv', 310)]]\"");
    assertThat(r.stdout().lines().toList()).hasSize(7).allMatch(l -> l.endsWith(" -1 1"));
  }

  // --- resource exhaustion ---

  @Test
  void forkBomb_isStoppedAndReported() throws Exception {
    // bash retries failed forks, so this bomb persists: the supervisor must stop it early
    SandboxResult r = run("bash -c ':(){ :|:& };:; sleep 60'",
        Limits.DEFAULT.withMaxProcesses(64).withWallTime(Duration.ofSeconds(30)));
    assertThat(r.termination()).as(r.summary()).isEqualTo(Termination.PROCESS_LIMIT);
    assertThat(r.wallDuration()).isLessThan(Duration.ofSeconds(20));
    assertThat(r.summary()).contains("64 processes");
    assertStillHealthy();
  }

  @Test
  void forkBomb_doesNotStarveAConcurrentSandbox() throws Exception {
    // RLIMIT_NPROC is counted per user namespace (kernel ucounts), so each sandbox has its own
    // budget even though all run as uid 65534.
    var bomb = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return run("bash -c ':(){ :|:& };:; sleep 60'",
            Limits.DEFAULT.withMaxProcesses(32).withWallTime(Duration.ofSeconds(20)));
      } catch (WardenSecurityException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(300);
    Path other = Files.createDirectories(tmp.resolve("other"));
    java.nio.file.Files.setPosixFilePermissions(other, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    SandboxResult r = bwrap().run(SandboxSpec.builder(other, "/bin/sh", "-c",
        "for i in 1 2 3 4 5 6 7 8; do (echo $i) & done; wait; echo done").build());
    assertThat(r.stdout()).as(r.stderr()).endsWith("done\n");
    assertThat(r.stderr()).doesNotContainIgnoringCase("fork");
    assertThat(bomb.get().termination()).isEqualTo(Termination.PROCESS_LIMIT);
  }

  @Test
  void collapsingForkBomb_isContainedAndReported() throws Exception {
    // dash gives up on a failed fork, so this bomb collapses by itself under RLIMIT_NPROC
    SandboxResult r = run("f() { f | f & }; f; sleep 1",
        Limits.DEFAULT.withMaxProcesses(64).withWallTime(Duration.ofSeconds(30)));
    assertThat(r.termination()).as(r.summary()).isEqualTo(Termination.PROCESS_LIMIT);
    assertStillHealthy();
  }

  @Test
  void memoryHog_isStoppedAndReported() throws Exception {
    SandboxResult r = run("python3 -c 'x = bytearray(2 << 30); print(len(x))'",
        Limits.DEFAULT.withMemoryBytes(256L << 20));
    assertThat(r.termination()).as(r.summary()).isEqualTo(Termination.MEMORY_LIMIT);
    assertThat(r.stderr()).contains("MemoryError");
    assertStillHealthy();
  }

  @Test
  void memoryHogInCoreutils_isStoppedAndReported() throws Exception {
    SandboxResult r = run("head -c 1G /dev/zero | tail -n 1 > /dev/null", Limits.DEFAULT.withMemoryBytes(128L << 20));
    // tail keeps the whole (newline-free) line: it must fail to allocate, not eat the host
    assertThat(r.termination()).as(r.summary() + r.stderr()).isEqualTo(Termination.MEMORY_LIMIT);
    assertStillHealthy();
  }

  @Test
  void endlessPrinter_isKilledAndTruncated() throws Exception {
    SandboxResult r = run("yes warden", Limits.DEFAULT.withMaxOutputBytes(64 * 1024));
    assertThat(r.termination()).isEqualTo(Termination.OUTPUT_LIMIT);
    assertThat(r.stdoutTruncated()).isTrue();
    assertThat(r.stdout()).endsWith(SandboxResult.truncationMarker(64 * 1024));
    assertThat(r.stdout().length()).isBetween(64 * 1024, 64 * 1024 + 100);
    assertThat(r.summary()).contains("output limit of 65536 bytes");
    assertStillHealthy();
  }

  @Test
  void stderrFlood_isKilledToo() throws Exception {
    SandboxResult r = run("yes err >&2", Limits.DEFAULT.withMaxOutputBytes(4096));
    assertThat(r.termination()).isEqualTo(Termination.OUTPUT_LIMIT);
    assertThat(r.stderrTruncated()).isTrue();
    assertThat(r.stdoutTruncated()).isFalse();
    assertStillHealthy();
  }

  @Test
  void cpuBurner_isStoppedByCpuLimit() throws Exception {
    SandboxResult r = run("while :; do :; done", Limits.DEFAULT.withCpuSeconds(1));
    assertThat(r.termination()).as(r.summary()).isEqualTo(Termination.CPU_LIMIT);
    assertStillHealthy();
  }

  @Test
  void sleeper_isKilledAtWallTime() throws Exception {
    SandboxResult r = run("sleep 60 & sleep 60", Limits.DEFAULT.withWallTime(Duration.ofMillis(800)));
    assertThat(r.termination()).isEqualTo(Termination.WALL_TIMEOUT);
    assertThat(r.wallDuration()).isLessThan(Duration.ofSeconds(5));
    assertStillHealthy();
  }

  @Test
  void hugeFile_isStoppedByFileSizeLimit() throws Exception {
    SandboxResult r = run("head -c 4M /dev/zero > big", Limits.DEFAULT.withMaxFileSizeBytes(1L << 20));
    assertThat(r.termination()).isEqualTo(Termination.KILLED_BY_SIGNAL);
    assertThat(r.summary()).contains("SIGXFSZ");
    assertThat(Files.size(ws.resolve("big"))).isEqualTo(1L << 20);
  }

  @Test
  void tmpfs_isSizeCapped() throws Exception {
    SandboxResult r = run("i=0; while [ $i -lt 40 ]; do head -c 10M /dev/zero > /tmp/f$i || break; i=$((i+1)); done; "
        + "echo files=$i", Limits.DEFAULT.withMaxFileSizeBytes(64L << 20));
    int files = Integer.parseInt(r.stdout().strip().replace("files=", ""));
    assertThat(files).isLessThan(30);
  }
}
