package dev.warden.sandbox.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A tiny static x86_64 program, generated here as an ELF file per sandbox, that applies a Landlock
 * ruleset (filesystem, TCP ports, scopes) to itself and then executes the sandboxed command. It runs inside the
 * sandbox, after bubblewrap has built the mount namespace: a Landlock domain that handles
 * filesystem rights forbids mount(2), so the ruleset cannot be in force before bubblewrap (see
 * docs/sandbox.md), and Landlock can only be applied by a process to itself.
 *
 * <p>The machine code is {@code src/main/asm/landlock-exec-x86_64.S} assembled with GNU as
 * ({@code as --64; objcopy -O binary --only-section=.text}); {@code LandlockExecHelperTest} checks
 * the bytes against the source when binutils are installed. The ruleset is data appended after
 * the code: the ruleset attributes (handled filesystem and network rights, scopes) and their size
 * for the ABI, then {@code u64 allowed_access} + NUL-terminated path per filesystem rule (ended by
 * a zero), then one {@code u64} per allowed TCP port (ended by -1), then {@code u64 resource, soft,
 * hard} per resource limit (ended by -1). Paths that do not exist are skipped; any other failure
 * exits 126 after printing {@link #FAILURE_MESSAGE} to stderr, so the command never runs without
 * the ruleset. The program then calls {@code execve(argv[1], argv + 1, envp)} (no PATH search:
 * argv[1] must contain a slash); if that fails it prints "warden: cannot execute the command" and
 * exits 127, as a shell would.
 *
 * <p>Other architectures: not available ({@link #supported} is false); the sandbox then relies on
 * the other layers and {@code describe()} says so.
 */
public final class LandlockExecHelper {

  /** What the helper prints before exiting 126 when it cannot confine itself. */
  public static final String FAILURE_MESSAGE = "warden: landlock setup failed";
  /** Exit status of the helper when it cannot confine itself. */
  public static final int FAILURE_EXIT_CODE = 126;

  public static final long FS_EXECUTE = 1L;
  public static final long FS_WRITE_FILE = 1L << 1;
  public static final long FS_READ_FILE = 1L << 2;
  public static final long FS_READ_DIR = 1L << 3;
  public static final long FS_REMOVE_DIR = 1L << 4;
  public static final long FS_REMOVE_FILE = 1L << 5;
  public static final long FS_MAKE_CHAR = 1L << 6;
  public static final long FS_MAKE_DIR = 1L << 7;
  public static final long FS_MAKE_REG = 1L << 8;
  public static final long FS_MAKE_SOCK = 1L << 9;
  public static final long FS_MAKE_FIFO = 1L << 10;
  public static final long FS_MAKE_BLOCK = 1L << 11;
  public static final long FS_MAKE_SYM = 1L << 12;
  /** ABI 2. */
  public static final long FS_REFER = 1L << 13;
  /** ABI 3. */
  public static final long FS_TRUNCATE = 1L << 14;
  /** ABI 5. */
  public static final long FS_IOCTL_DEV = 1L << 15;

  /** Rights that make sense on a file (not a directory); others make landlock_add_rule fail. */
  public static final long FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV;
  /** Read and execute, for system directories and skills. */
  public static final long READ_EXECUTE = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR;
  /** Read only. */
  public static final long READ = FS_READ_FILE | FS_READ_DIR;

  private static final int ELF_HEADER_BYTES = 64;
  private static final int PROGRAM_HEADER_BYTES = 56;
  private static final long LOAD_ADDRESS = 0x400000L;

  static final byte[] X86_64_CODE = HexFormat.of().parseHex(
      "4889e3488d3ded010000488b35fe01000031d2b8bc0100000f054885c00f886f0100004989c44c8d2dea0100004d8b75" +
      "004d85f674704d8d7d08bf9cffffff4c89feba000028004531d2b8010100000f054889c54c89ff803f00740548ffc7eb" +
      "f64c8d6f014885ed78c34883ec104c893424896c24084489e7be010000004889e24531d2b8bd0100000f054883c41049" +
      "89c689efb8030000000f054d85f60f88ee000000eb874983c508498b45004883f8ff743c4883ec10488b0d4001000048" +
      "890c2448894424084489e7be020000004889e24531d2b8bd0100000f054883c4104885c00f88a80000004983c508ebba" +
      "4983c508498b75004883feff741b31ff498d55084531d2b82e0100000f054885c0757f4983c518ebdbbf26000000be01" +
      "00000031d24531d24531c0b89d0000000f054885c0755b4489e731f6b8be0100000f054885c0754a4489e7b803000000" +
      "0f05488b0b4883f9027c37488d7310488b3e488d54cb10b83b0000000f05bf02000000488d355a000000ba23000000b8" +
      "010000000f05bf7f000000b8e70000000f05bf02000000488d3518000000ba1e000000b8010000000f05bf7e000000b8" +
      "e70000000f0577617264656e3a206c616e646c6f636b207365747570206661696c65640a77617264656e3a2063616e6e" +
      "6f7420657865637574652074686520636f6d6d616e640a");

  private LandlockExecHelper() {}

  /** One rule: everything beneath {@code path} gets {@code allowedAccess}. */
  public record Rule(String path, long allowedAccess) {
    public Rule {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/") || path.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("rule path must be absolute without NUL: '" + path + "'");
      }
      if (allowedAccess == 0) {
        throw new IllegalArgumentException("a rule must allow something (0 ends the rule list)");
      }
    }
  }

  /** RLIMIT_CPU, seconds. */
  public static final int RLIMIT_CPU = 0;
  /** RLIMIT_FSIZE, bytes. */
  public static final int RLIMIT_FSIZE = 1;
  /** RLIMIT_CORE, bytes. */
  public static final int RLIMIT_CORE = 4;
  /** RLIMIT_NPROC, processes. */
  public static final int RLIMIT_NPROC = 6;
  /** RLIMIT_AS, bytes. */
  public static final int RLIMIT_AS = 9;

  /** One resource limit the helper sets on itself (prlimit64) before executing the command. */
  public record Rlimit(int resource, long soft, long hard) {
    public Rlimit {
      if (resource < 0 || soft < 0 || hard < soft) {
        throw new IllegalArgumentException("bad rlimit " + resource + " " + soft + ":" + hard);
      }
    }
  }

  /** Whether the helper can run here: x86_64 and a kernel with Landlock. */
  public static boolean supported(int abi) {
    String arch = System.getProperty("os.arch");
    return abi >= 1 && ("amd64".equals(arch) || "x86_64".equals(arch));
  }

  /** Every filesystem right the kernel's ABI knows: the ruleset handles them all. */
  public static long handledAccess(int abi) {
    long all = (1L << 13) - 1;
    if (abi >= 2) {
      all |= FS_REFER;
    }
    if (abi >= 3) {
      all |= FS_TRUNCATE;
    }
    if (abi >= 5) {
      all |= FS_IOCTL_DEV;
    }
    return all;
  }

  /**
   * The ELF file: a statically linked x86_64 executable with the ruleset baked in.
   *
   * @param fsRules filesystem rules; every filesystem right of the ABI is handled
   * @param tcpPortsOrNull null to leave the network alone; otherwise TCP bind and connect are
   *     handled (ABI 4+) and allowed only on these ports, and (ABI 6+) signals and abstract Unix
   *     sockets are scoped to the domain
   */
  public static byte[] elf(int abi, List<Rule> fsRules, List<Integer> tcpPortsOrNull) {
    return elf(abi, fsRules, tcpPortsOrNull, List.of());
  }

  /** As {@link #elf(int, List, List)}, also setting {@code rlimits} on itself before the exec. */
  public static byte[] elf(int abi, List<Rule> fsRules, List<Integer> tcpPortsOrNull, List<Rlimit> rlimits) {
    long handled = handledAccess(abi);
    boolean net = tcpPortsOrNull != null && abi >= Landlock.MIN_ABI_NET;
    long handledNet = net ? Landlock.ACCESS_NET_BIND_TCP | Landlock.ACCESS_NET_CONNECT_TCP : 0;
    long scoped = tcpPortsOrNull != null && abi >= Landlock.MIN_ABI_SCOPE
        ? Landlock.SCOPE_ABSTRACT_UNIX_SOCKET | Landlock.SCOPE_SIGNAL
        : 0;
    long attrSize = scoped != 0 ? 24 : net ? 16 : 8;
    List<Integer> ports = net ? tcpPortsOrNull : List.of();
    ByteBuffer data = ByteBuffer.allocate(56 + 8 * ports.size() + 24 * rlimits.size()
            + fsRules.stream().mapToInt(r -> 9 + r.path().length() * 4).sum())
        .order(ByteOrder.LITTLE_ENDIAN);
    data.putLong(handled).putLong(handledNet).putLong(scoped).putLong(attrSize);
    for (Rule r : fsRules) {
      long allowed = r.allowedAccess() & handled;
      if (allowed == 0) {
        continue;
      }
      data.putLong(allowed);
      data.put(r.path().getBytes(StandardCharsets.UTF_8)).put((byte) 0);
    }
    data.putLong(0);
    for (int port : ports) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("not a TCP port: " + port);
      }
      data.putLong(port);
    }
    data.putLong(-1L);
    for (Rlimit r : rlimits) {
      data.putLong(r.resource()).putLong(r.soft()).putLong(r.hard());
    }
    data.putLong(-1L);
    int bodyBytes = X86_64_CODE.length + data.position();
    int total = ELF_HEADER_BYTES + PROGRAM_HEADER_BYTES + bodyBytes;
    ByteBuffer elf = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    // ELF header: 64-bit, little endian, version 1, SysV; ET_EXEC, EM_X86_64
    elf.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    elf.putShort((short) 2).putShort((short) 0x3e).putInt(1);
    elf.putLong(LOAD_ADDRESS + ELF_HEADER_BYTES + PROGRAM_HEADER_BYTES); // entry
    elf.putLong(ELF_HEADER_BYTES).putLong(0).putInt(0); // phoff, shoff, flags
    elf.putShort((short) ELF_HEADER_BYTES).putShort((short) PROGRAM_HEADER_BYTES).putShort((short) 1);
    elf.putShort((short) 0).putShort((short) 0).putShort((short) 0);
    // one PT_LOAD, read + execute, the whole file
    elf.putInt(1).putInt(5).putLong(0).putLong(LOAD_ADDRESS).putLong(LOAD_ADDRESS);
    elf.putLong(total).putLong(total).putLong(0x1000);
    elf.put(X86_64_CODE);
    elf.put(data.array(), 0, data.position());
    return elf.array();
  }
}
