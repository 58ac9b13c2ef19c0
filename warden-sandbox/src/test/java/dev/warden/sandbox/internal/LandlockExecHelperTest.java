package dev.warden.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated helper, run for real on the host (outside any sandbox). */
class LandlockExecHelperTest {

  @TempDir Path tmp;

  private Path helper(List<LandlockExecHelper.Rule> rules) throws IOException {
    return helper(rules, null);
  }

  private Path helper(List<LandlockExecHelper.Rule> rules, List<Integer> tcpPortsOrNull) throws IOException {
    int abi = Landlock.abiVersion();
    Assumptions.assumeTrue(LandlockExecHelper.supported(abi), "x86_64 with Landlock only");
    Path p = tmp.resolve("landlock-exec");
    Files.write(p, LandlockExecHelper.elf(abi, rules, tcpPortsOrNull));
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r-x------"));
    return p;
  }

  private static String run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return out + "exit=" + p.exitValue();
  }

  @Test
  void helper_allowsOnlyRuledPaths_thenRunsTheCommand() throws Exception {
    Path allowed = Files.createDirectories(tmp.resolve("allowed"));
    Path denied = Files.createDirectories(tmp.resolve("denied"));
    Path h = helper(List.of(
        new LandlockExecHelper.Rule("/usr", LandlockExecHelper.READ_EXECUTE),
        new LandlockExecHelper.Rule("/etc", LandlockExecHelper.READ),
        new LandlockExecHelper.Rule("/dev", LandlockExecHelper.READ | LandlockExecHelper.FS_WRITE_FILE),
        new LandlockExecHelper.Rule(allowed.toString(), -1L),
        new LandlockExecHelper.Rule("/does/not/exist", LandlockExecHelper.READ)));
    String out = run(List.of(h.toString(), "/bin/sh", "-c",
        "echo a > " + allowed + "/f && echo allowed-ok; { echo d > " + denied + "/f; } 2>/dev/null || echo denied-refused;"
            + " cat " + allowed + "/f"));
    // runs even as root: Landlock does not care about uid 0
    assertThat(out).isEqualTo("allowed-ok\ndenied-refused\na\nexit=0");
    assertThat(denied.resolve("f")).doesNotExist();
  }

  @Test
  void helper_commandThatCannotBeExecuted_exits127() throws Exception {
    Path h = helper(List.of(new LandlockExecHelper.Rule("/usr", LandlockExecHelper.READ_EXECUTE)));
    assertThat(run(List.of(h.toString(), "/no/such/program"))).isEqualTo("warden: cannot execute the command\nexit=127");
  }

  @Test
  void helper_withoutCommand_failsClosed() throws Exception {
    Path h = helper(List.of(new LandlockExecHelper.Rule("/usr", LandlockExecHelper.READ_EXECUTE)));
    assertThat(run(List.of(h.toString()))).isEqualTo(LandlockExecHelper.FAILURE_MESSAGE + "\nexit=126");
  }

  @Test
  void helper_withRightsInvalidForAFile_failsClosed() throws Exception {
    // READ_DIR on a regular file makes landlock_add_rule fail: the command must not run
    Path file = Files.writeString(tmp.resolve("file"), "x");
    Path h = helper(List.of(new LandlockExecHelper.Rule("/usr", LandlockExecHelper.READ_EXECUTE),
        new LandlockExecHelper.Rule(file.toString(), LandlockExecHelper.FS_READ_DIR)));
    assertThat(run(List.of(h.toString(), "/bin/echo", "ran"))).isEqualTo(LandlockExecHelper.FAILURE_MESSAGE + "\nexit=126");
  }

  @Test
  void code_matchesTheAssemblySource() throws Exception {
    Path source = Path.of("src/main/asm/landlock-exec-x86_64.S");
    Assumptions.assumeTrue(Files.exists(source), "run from the module directory");
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/as")) && Files.isExecutable(Path.of("/usr/bin/objcopy")),
        "binutils not installed");
    Path obj = tmp.resolve("h.o");
    Path bin = tmp.resolve("h.bin");
    assertThat(run(List.of("/usr/bin/as", "--64", "-o", obj.toString(), source.toString()))).endsWith("exit=0");
    assertThat(run(List.of("/usr/bin/objcopy", "-O", "binary", "--only-section=.text", obj.toString(), bin.toString())))
        .endsWith("exit=0");
    assertThat(Files.readAllBytes(bin)).isEqualTo(LandlockExecHelper.X86_64_CODE);
  }

  @Test
  void handledAccess_growsWithAbi() {
    assertThat(LandlockExecHelper.handledAccess(1)).isEqualTo((1L << 13) - 1);
    assertThat(LandlockExecHelper.handledAccess(3)).isEqualTo((1L << 15) - 1);
    assertThat(LandlockExecHelper.handledAccess(7)).isEqualTo((1L << 16) - 1);
  }

  @Test
  void rule_relativePath_fails() {
    assertThatThrownBy(() -> new LandlockExecHelper.Rule("usr", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LandlockExecHelper.Rule("/usr", 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void elf_hasHeaderAndEntry() {
    byte[] elf = LandlockExecHelper.elf(7, List.of(new LandlockExecHelper.Rule("/usr", 1)), List.of(3128));
    assertThat(elf).startsWith(0x7f, 'E', 'L', 'F', 2, 1, 1);
    assertThat(elf.length).isEqualTo(64 + 56 + LandlockExecHelper.X86_64_CODE.length + 32 + 8 + 5 + 8 + 8 + 8 + 8);
  }

  @Test
  void helper_setsRlimitsBeforeTheCommand() throws Exception {
    int abi = Landlock.abiVersion();
    Assumptions.assumeTrue(LandlockExecHelper.supported(abi), "x86_64 with Landlock only");
    Path p = tmp.resolve("landlock-exec");
    Files.write(p, LandlockExecHelper.elf(abi, List.of(new LandlockExecHelper.Rule("/", LandlockExecHelper.READ_EXECUTE)), null,
        List.of(new LandlockExecHelper.Rlimit(LandlockExecHelper.RLIMIT_CPU, 7, 8),
            new LandlockExecHelper.Rlimit(LandlockExecHelper.RLIMIT_NPROC, 99, 99))));
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r-x------"));
    assertThat(run(List.of(p.toString(), "/bin/sh", "-c", "ulimit -St; ulimit -Ht; ulimit -p")))
        .isEqualTo("7\n8\n99\nexit=0");
  }

  @Test
  void helper_tcpPorts_allowOnlyThoseConnections() throws Exception {
    Assumptions.assumeTrue(Landlock.abiVersion() >= Landlock.MIN_ABI_NET, "no Landlock network rules");
    try (var allowed = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        var other = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      List<LandlockExecHelper.Rule> fs = List.of(new LandlockExecHelper.Rule("/", LandlockExecHelper.READ_EXECUTE));
      Path h = helper(fs, List.of(allowed.getLocalPort()));
      String py = "import socket\nfor p in (%d, %d):\n  try:\n    socket.create_connection(('127.0.0.1', p), 3); print('connected', p)\n"
          + "  except OSError as e:\n    print('refused', p, e.errno)\n";
      String out = run(List.of(h.toString(), "/usr/bin/python3", "-c",
          String.format(py, allowed.getLocalPort(), other.getLocalPort())));
      assertThat(out).contains("connected " + allowed.getLocalPort()).contains("refused " + other.getLocalPort() + " 13");
    }
  }
}
