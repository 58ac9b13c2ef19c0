package dev.warden.sandbox.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * The Landlock system calls, through the FFM API (no JNI, no helper binary).
 *
 * <p>Landlock domains are per thread and inherited by every thread and process the thread creates
 * afterwards; {@link #restrictCurrentThread} therefore confines the calling thread for good.
 */
public final class Landlock {

  /** landlock_create_ruleset, landlock_add_rule, landlock_restrict_self: same on x86_64 and aarch64. */
  static final long SYS_LANDLOCK_CREATE_RULESET = 444;
  static final long SYS_LANDLOCK_ADD_RULE = 445;
  static final long SYS_LANDLOCK_RESTRICT_SELF = 446;
  static final long LANDLOCK_CREATE_RULESET_VERSION = 1L;
  static final int PR_SET_NO_NEW_PRIVS = 38;
  static final long LANDLOCK_RULE_NET_PORT = 2;

  public static final long ACCESS_NET_BIND_TCP = 1L;
  public static final long ACCESS_NET_CONNECT_TCP = 1L << 1;
  public static final long SCOPE_ABSTRACT_UNIX_SOCKET = 1L;
  public static final long SCOPE_SIGNAL = 1L << 1;

  /** First ABI with TCP bind/connect rules. */
  public static final int MIN_ABI_NET = 4;
  /** First ABI with IPC scoping (abstract Unix sockets, signals). */
  public static final int MIN_ABI_SCOPE = 6;

  /** struct landlock_ruleset_attr (ABI 6 layout). */
  private static final StructLayout RULESET_ATTR = MemoryLayout.structLayout(
      ValueLayout.JAVA_LONG.withName("handled_access_fs"),
      ValueLayout.JAVA_LONG.withName("handled_access_net"),
      ValueLayout.JAVA_LONG.withName("scoped"));
  /** struct landlock_net_port_attr. */
  private static final StructLayout NET_PORT_ATTR = MemoryLayout.structLayout(
      ValueLayout.JAVA_LONG.withName("allowed_access"),
      ValueLayout.JAVA_LONG.withName("port"));
  /** Size of struct landlock_ruleset_attr before ABI 6 added {@code scoped}. */
  private static final long RULESET_ATTR_SIZE_BEFORE_SCOPE = 16;

  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final MethodHandle SYSCALL;
  private static final MethodHandle PRCTL;

  static {
    Linker linker = Linker.nativeLinker();
    var libc = linker.defaultLookup();
    SYSCALL = linker.downcallHandle(
        libc.find("syscall").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
        Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
    PRCTL = linker.downcallHandle(
        libc.find("prctl").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
        Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
  }

  private Landlock() {}

  /** A failed Landlock call: which, and the errno. */
  public static final class LandlockException extends Exception {
    LandlockException(String message) {
      super(message);
    }
  }

  /**
   * The kernel's Landlock ABI version ({@code landlock_create_ruleset(NULL, 0,
   * LANDLOCK_CREATE_RULESET_VERSION)}), or 0 when Landlock is absent or disabled.
   */
  public static int abiVersion() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      long r = (long) SYSCALL.invokeExact(errno, SYS_LANDLOCK_CREATE_RULESET, 0L, 0L,
          LANDLOCK_CREATE_RULESET_VERSION, 0L);
      return r < 0 ? 0 : (int) r;
    } catch (Throwable t) {
      return 0;
    }
  }

  /**
   * Confines the calling thread (and all it creates from now on): TCP bind and connect are refused
   * except on {@code allowedTcpPorts}; with ABI 6+, signals and abstract Unix sockets cannot reach
   * outside the domain. Sets no_new_privs on the thread first, as Landlock requires.
   *
   * @return a description of what was applied
   */
  public static String restrictCurrentThread(int abi, List<Integer> allowedTcpPorts)
      throws LandlockException {
    if (abi < MIN_ABI_NET) {
      throw new LandlockException("Landlock ABI " + abi + " has no network rules (needs " + MIN_ABI_NET + ")");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      MemorySegment attr = arena.allocate(RULESET_ATTR);
      long netAccess = ACCESS_NET_BIND_TCP | ACCESS_NET_CONNECT_TCP;
      attr.set(ValueLayout.JAVA_LONG, 0, 0L);
      attr.set(ValueLayout.JAVA_LONG, 8, netAccess);
      long scoped = abi >= MIN_ABI_SCOPE ? SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL : 0L;
      attr.set(ValueLayout.JAVA_LONG, 16, scoped);
      long size = abi >= MIN_ABI_SCOPE ? RULESET_ATTR.byteSize() : RULESET_ATTR_SIZE_BEFORE_SCOPE;
      long fd = (long) SYSCALL.invokeExact(errno, SYS_LANDLOCK_CREATE_RULESET, attr.address(), size, 0L, 0L);
      if (fd < 0) {
        throw new LandlockException("landlock_create_ruleset failed, errno " + errno(errno));
      }
      try {
        for (int port : allowedTcpPorts) {
          MemorySegment rule = arena.allocate(NET_PORT_ATTR);
          rule.set(ValueLayout.JAVA_LONG, 0, netAccess);
          rule.set(ValueLayout.JAVA_LONG, 8, (long) port);
          long r = (long) SYSCALL.invokeExact(errno, SYS_LANDLOCK_ADD_RULE, fd, LANDLOCK_RULE_NET_PORT,
              rule.address(), 0L);
          if (r < 0) {
            throw new LandlockException("landlock_add_rule(port " + port + ") failed, errno " + errno(errno));
          }
        }
        int p = (int) PRCTL.invokeExact(errno, PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L);
        if (p != 0) {
          throw new LandlockException("prctl(PR_SET_NO_NEW_PRIVS) failed, errno " + errno(errno));
        }
        long r = (long) SYSCALL.invokeExact(errno, SYS_LANDLOCK_RESTRICT_SELF, fd, 0L, 0L, 0L);
        if (r < 0) {
          throw new LandlockException("landlock_restrict_self failed, errno " + errno(errno));
        }
      } finally {
        close((int) fd);
      }
      return "landlock ABI " + abi + " (tcp bind/connect" + (allowedTcpPorts.isEmpty() ? "" : " except " + allowedTcpPorts)
          + (scoped != 0 ? ", signal and abstract-socket scoping" : "") + ")";
    } catch (LandlockException e) {
      throw e;
    } catch (Throwable t) {
      throw new LandlockException("Landlock call failed: " + t);
    }
  }

  private static int errno(MemorySegment capture) {
    return (int) ERRNO.get(capture, 0L);
  }

  private static void close(int fd) throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      // SYS_close: 3 on x86_64, 57 on aarch64
      long nr = "aarch64".equals(System.getProperty("os.arch")) ? 57L : 3L;
      long ignored = (long) SYSCALL.invokeExact(errno, nr, (long) fd, 0L, 0L, 0L);
    }
  }
}
