package dev.warden.sandbox.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * Generates the classic-BPF seccomp program that bubblewrap installs ({@code --seccomp FD}) right
 * before it executes the sandboxed command.
 *
 * <p>Design notes.
 *
 * <ol>
 *   <li>Deny list, not allow list: the sandbox runs arbitrary tools (shells, python, node, git),
 *       whose syscall sets are open-ended. The list holds the calls that reach kernel attack
 *       surface or undo the namespaces: debugging other processes, mounting, new namespaces,
 *       eBPF, keyrings, perf, kexec, modules, cross-process memory access, file handles (the
 *       "shocker" escape), userfaultfd (exploit primitive), io_uring (bypasses seccomp for the
 *       operations it queues), and the syslog/acct/swap/reboot administration calls.
 *   <li>Denied calls fail with EPERM rather than killing, so tools that probe for a feature
 *       degrade instead of crashing. {@code clone3} fails with ENOSYS because its flags live in
 *       memory the filter cannot read: libc then falls back to {@code clone}, whose flags are
 *       checked and refused when they ask for a new namespace.
 *   <li>The architecture is checked first; a program of an architecture this filter was not
 *       written for is killed, and on x86_64 the x32 ABI (syscall numbers with bit 30 set) is
 *       refused, since its numbers would slip past the table.
 * </ol>
 */
public final class SeccompFilter {

  /** AUDIT_ARCH_X86_64. */
  static final int AUDIT_ARCH_X86_64 = 0xC000003E;
  /** AUDIT_ARCH_AARCH64. */
  static final int AUDIT_ARCH_AARCH64 = 0xC00000B7;

  static final int SECCOMP_RET_KILL_PROCESS = 0x80000000;
  static final int SECCOMP_RET_ERRNO = 0x00050000;
  static final int SECCOMP_RET_ALLOW = 0x7FFF0000;
  static final int EPERM = 1;
  static final int ENOSYS = 38;

  /** x32 syscalls have this bit set in their number. */
  static final int X32_SYSCALL_BIT = 0x40000000;

  /** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET. */
  static final int CLONE_NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000
      | 0x10000000 | 0x20000000 | 0x40000000;

  // offsets in struct seccomp_data
  private static final int OFFSET_NR = 0;
  private static final int OFFSET_ARCH = 4;
  private static final int OFFSET_ARG0_LOW = 16;

  // classic BPF opcodes
  private static final short BPF_LD_W_ABS = 0x20;
  private static final short BPF_JMP_JEQ_K = 0x15;
  private static final short BPF_JMP_JGE_K = 0x35;
  private static final short BPF_JMP_JSET_K = 0x45;
  private static final short BPF_RET_K = 0x06;

  /** Denied syscalls by name; numbers per architecture below. */
  public static final List<String> DENIED =
      List.of("ptrace", "mount", "umount2", "pivot_root", "unshare", "setns", "bpf", "keyctl",
          "add_key", "request_key", "perf_event_open", "kexec_load", "kexec_file_load",
          "init_module", "finit_module", "delete_module", "process_vm_readv", "process_vm_writev",
          "open_by_handle_at", "name_to_handle_at", "userfaultfd", "io_uring_setup",
          "io_uring_enter", "io_uring_register", "open_tree", "move_mount", "fsopen", "fsconfig",
          "fsmount", "fspick", "mount_setattr", "acct", "swapon", "swapoff", "reboot", "syslog");

  /** Syscall numbers, x86_64 (arch/x86/entry/syscalls/syscall_64.tbl). */
  static final Map<String, Integer> X86_64 = table(
      "ptrace", 101, "mount", 165, "umount2", 166, "pivot_root", 155, "unshare", 272,
      "setns", 308, "bpf", 321, "keyctl", 250, "add_key", 248, "request_key", 249,
      "perf_event_open", 298, "kexec_load", 246, "kexec_file_load", 320, "init_module", 175,
      "finit_module", 313, "delete_module", 176, "process_vm_readv", 310,
      "process_vm_writev", 311, "open_by_handle_at", 304, "name_to_handle_at", 303,
      "userfaultfd", 323, "io_uring_setup", 425, "io_uring_enter", 426, "io_uring_register", 427,
      "open_tree", 428, "move_mount", 429, "fsopen", 430, "fsconfig", 431, "fsmount", 432,
      "fspick", 433, "mount_setattr", 442, "acct", 163, "swapon", 167, "swapoff", 168,
      "reboot", 169, "syslog", 103, "clone", 56, "clone3", 435);

  /** Syscall numbers, aarch64 (include/uapi/asm-generic/unistd.h). */
  static final Map<String, Integer> AARCH64 = table(
      "ptrace", 117, "mount", 40, "umount2", 39, "pivot_root", 41, "unshare", 97,
      "setns", 268, "bpf", 280, "keyctl", 219, "add_key", 217, "request_key", 218,
      "perf_event_open", 241, "kexec_load", 104, "kexec_file_load", 294, "init_module", 105,
      "finit_module", 273, "delete_module", 106, "process_vm_readv", 270,
      "process_vm_writev", 271, "open_by_handle_at", 265, "name_to_handle_at", 264,
      "userfaultfd", 282, "io_uring_setup", 425, "io_uring_enter", 426, "io_uring_register", 427,
      "open_tree", 428, "move_mount", 429, "fsopen", 430, "fsconfig", 431, "fsmount", 432,
      "fspick", 433, "mount_setattr", 442, "acct", 89, "swapon", 224, "swapoff", 225,
      "reboot", 142, "syslog", 116, "clone", 220, "clone3", 435);

  private SeccompFilter() {}

  /** One {@code struct sock_filter}. */
  record Insn(short code, int jt, int jf, int k) {}

  /** The program as the kernel reads it: native-endian {@code struct sock_filter[]}. */
  public static byte[] program() {
    List<Insn> insns = instructions();
    ByteBuffer buf = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.nativeOrder());
    for (Insn i : insns) {
      buf.putShort(i.code()).put((byte) i.jt()).put((byte) i.jf()).putInt(i.k());
    }
    return buf.array();
  }

  static List<Insn> instructions() {
    List<Insn> x86 = archBlock(X86_64, true);
    List<Insn> arm = archBlock(AARCH64, false);
    List<Insn> out = new ArrayList<>();
    // [0] load arch; [1] x86_64 -> [4]; [2] aarch64 -> arm block; [3] any other arch: kill,
    // since the numbers below would mean other calls there.
    out.add(new Insn(BPF_LD_W_ABS, 0, 0, OFFSET_ARCH));
    out.add(new Insn(BPF_JMP_JEQ_K, 2, 0, AUDIT_ARCH_X86_64));
    out.add(new Insn(BPF_JMP_JEQ_K, 1 + x86.size(), 0, AUDIT_ARCH_AARCH64));
    out.add(new Insn(BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS));
    out.addAll(x86);
    out.addAll(arm);
    return out;
  }

  /**
   * One architecture's checks, self-contained (ends in returns): load nr, refuse x32, refuse
   * each denied number, check clone flags, refuse clone3 with ENOSYS, allow the rest.
   */
  private static List<Insn> archBlock(Map<String, Integer> numbers, boolean x32Check) {
    List<Insn> b = new ArrayList<>();
    int nDenied = DENIED.size();
    // tail layout after the deny tests:
    //   [T+0] jeq clone3 -> RET_ENOSYS
    //   [T+1] jeq clone  -> CLONE_CHECK
    //   [T+2] ret ALLOW
    //   [T+3] RET_EPERM
    //   [T+4] RET_ENOSYS
    //   [T+5] CLONE_CHECK: ld arg0 low; jset namespace flags -> own EPERM, else own ALLOW
    //         (BPF jumps only forward, so the check ends with its own returns)
    b.add(new Insn(BPF_LD_W_ABS, 0, 0, OFFSET_NR));
    int headerSize = x32Check ? 2 : 1;
    int tail = headerSize + nDenied; // index of [T+0] within the block
    int retEperm = tail + 3;
    int retEnosys = tail + 4;
    int cloneCheck = tail + 5;
    if (x32Check) {
      int here = b.size();
      b.add(new Insn(BPF_JMP_JGE_K, retEperm - here - 1, 0, X32_SYSCALL_BIT));
    }
    for (String name : DENIED) {
      int here = b.size();
      b.add(new Insn(BPF_JMP_JEQ_K, retEperm - here - 1, 0, numbers.get(name)));
    }
    int here = b.size();
    b.add(new Insn(BPF_JMP_JEQ_K, retEnosys - here - 1, 0, numbers.get("clone3")));
    here = b.size();
    b.add(new Insn(BPF_JMP_JEQ_K, cloneCheck - here - 1, 0, numbers.get("clone")));
    b.add(new Insn(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW));
    b.add(new Insn(BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | EPERM));
    b.add(new Insn(BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | ENOSYS));
    b.add(new Insn(BPF_LD_W_ABS, 0, 0, OFFSET_ARG0_LOW));
    b.add(new Insn(BPF_JMP_JSET_K, 0, 1, CLONE_NAMESPACE_FLAGS));
    b.add(new Insn(BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | EPERM));
    b.add(new Insn(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW));
    for (Insn i : b) {
      if (i.jt() > 255 || i.jf() > 255 || i.jt() < 0 || i.jf() < 0) {
        throw new IllegalStateException("seccomp jump out of range: " + i);
      }
    }
    return b;
  }

  private static Map<String, Integer> table(Object... kv) {
    SequencedMap<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Integer) kv[i + 1]);
    }
    for (String name : DENIED) {
      if (!m.containsKey(name)) {
        throw new ExceptionInInitializerError("no syscall number for " + name);
      }
    }
    return Map.copyOf(m);
  }
}
