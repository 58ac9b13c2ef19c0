package dev.warden.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs the generated program in a small classic-BPF interpreter, as the kernel would. */
class SeccompFilterTest {

  private static final int ALLOW = SeccompFilter.SECCOMP_RET_ALLOW;
  private static final int EPERM = SeccompFilter.SECCOMP_RET_ERRNO | 1;
  private static final int ENOSYS = SeccompFilter.SECCOMP_RET_ERRNO | 38;

  /** Evaluates the program on one struct seccomp_data. */
  static int eval(List<SeccompFilter.Insn> prog, int arch, int nr, long arg0) {
    ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    data.putInt(0, nr).putInt(4, arch).putLong(16, arg0);
    int acc = 0;
    int pc = 0;
    for (int steps = 0; steps < 10_000; steps++) {
      SeccompFilter.Insn i = prog.get(pc);
      switch (i.code()) {
        case 0x20 -> { acc = data.getInt(i.k()); pc++; }
        case 0x15 -> pc += 1 + (acc == i.k() ? i.jt() : i.jf());
        case 0x35 -> pc += 1 + (Integer.compareUnsigned(acc, i.k()) >= 0 ? i.jt() : i.jf());
        case 0x45 -> pc += 1 + ((acc & i.k()) != 0 ? i.jt() : i.jf());
        case 0x06 -> { return i.k(); }
        default -> throw new AssertionError("unknown opcode " + i.code());
      }
    }
    throw new AssertionError("program did not end");
  }

  private static final List<SeccompFilter.Insn> PROG = SeccompFilter.instructions();

  @Test
  void everyDeniedSyscall_isEpermOnBothArchitectures() {
    for (String name : SeccompFilter.DENIED) {
      assertThat(eval(PROG, SeccompFilter.AUDIT_ARCH_X86_64, SeccompFilter.X86_64.get(name), 0))
          .as("x86_64 " + name).isEqualTo(EPERM);
      assertThat(eval(PROG, SeccompFilter.AUDIT_ARCH_AARCH64, SeccompFilter.AARCH64.get(name), 0))
          .as("aarch64 " + name).isEqualTo(EPERM);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 59, 60, 231, 257, 262})
  void ordinarySyscalls_areAllowedOnX86(int nr) {
    assertThat(eval(PROG, SeccompFilter.AUDIT_ARCH_X86_64, nr, 0)).isEqualTo(ALLOW);
  }

  @ParameterizedTest
  @ValueSource(ints = {56, 63, 64, 221, 93, 94})
  void ordinarySyscalls_areAllowedOnAarch64(int nr) {
    assertThat(eval(PROG, SeccompFilter.AUDIT_ARCH_AARCH64, nr, 0)).isEqualTo(ALLOW);
  }

  @Test
  void clone_withoutNamespaceFlags_isAllowed_withThem_isEperm() {
    long fork = 17; // SIGCHLD
    long thread = 0x003d0f00; // CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID
    assertThat(eval(PROG, SeccompFilter.AUDIT_ARCH_X86_64, 56, fork)).isEqualTo(ALLOW);
    assertThat(eval(PROG, SeccompFilter.AUDIT_ARCH_X86_64, 56, thread)).isEqualTo(ALLOW);
    for (long ns : new long[] {0x10000000, 0x00020000, 0x20000000, 0x40000000, 0x02000000, 0x04000000, 0x08000000}) {
      assertThat(eval(PROG, SeccompFilter.AUDIT_ARCH_X86_64, 56, fork | ns)).isEqualTo(EPERM);
      assertThat(eval(PROG, SeccompFilter.AUDIT_ARCH_AARCH64, 220, fork | ns)).isEqualTo(EPERM);
    }
  }

  @Test
  void clone3_isEnosys_soLibcFallsBackToCheckedClone() {
    assertThat(eval(PROG, SeccompFilter.AUDIT_ARCH_X86_64, 435, 0)).isEqualTo(ENOSYS);
    assertThat(eval(PROG, SeccompFilter.AUDIT_ARCH_AARCH64, 435, 0)).isEqualTo(ENOSYS);
  }

  @Test
  void x32Syscalls_areRefused() {
    assertThat(eval(PROG, SeccompFilter.AUDIT_ARCH_X86_64, 0x40000000 | 101, 0)).isEqualTo(EPERM);
    assertThat(eval(PROG, SeccompFilter.AUDIT_ARCH_X86_64, 0x40000000, 0)).isEqualTo(EPERM);
  }

  @Test
  void unknownArchitecture_isKilled() {
    int i386 = 0x40000003;
    assertThat(eval(PROG, i386, 26, 0)).isEqualTo(SeccompFilter.SECCOMP_RET_KILL_PROCESS);
  }

  @Test
  void program_isEightBytesPerInstruction() {
    assertThat(SeccompFilter.program()).hasSize(PROG.size() * 8);
    assertThat(PROG.size()).isLessThan(4096); // BPF_MAXINSNS
  }

  @Test
  void x86Numbers_matchTheSystemHeaders() throws IOException {
    checkHeader(Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h"), SeccompFilter.X86_64);
  }

  @Test
  void aarch64Numbers_matchTheGenericHeader() throws IOException {
    checkHeader(Path.of("/usr/include/asm-generic/unistd.h"), SeccompFilter.AARCH64);
  }

  private static void checkHeader(Path header, Map<String, Integer> table) throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(header), "no kernel headers here");
    String text = Files.readString(header);
    int checked = 0;
    for (var e : table.entrySet()) {
      Matcher m = Pattern.compile("#define __NR_" + e.getKey() + "\\s+(\\d+)").matcher(text);
      if (m.find()) {
        assertThat(Integer.parseInt(m.group(1))).as(e.getKey()).isEqualTo(e.getValue());
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(table.size() - 2);
  }
}
