package dev.warden.sandbox.internal;

import dev.warden.kernel.WardenSecurityException;
import dev.warden.sandbox.Limits;
import dev.warden.sandbox.SandboxResult;
import dev.warden.sandbox.Termination;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one started process to its end under the limits the JVM enforces itself (wall time,
 * output bytes, sustained process-limit saturation), kills the whole tree when one is hit, and
 * classifies how it ended.
 *
 * <p>Design notes.
 *
 * <ol>
 *   <li>Concurrency: one call owns one process; two virtual threads drain stdout and stderr; the
 *       calling thread polls for exit, the deadline and the process count. The first limit that
 *       fires wins ({@link AtomicReference#compareAndSet}), later ones are ignored.
 *   <li>Killing: the direct child is SIGKILLed first. For bubblewrap that is the outer bwrap,
 *       whose death takes the sandbox's pid namespace with it ({@code --die-with-parent} on the
 *       namespace's init), so no process inside survives; descendants are then killed one by one
 *       as well, which also covers the unconfined host runner.
 *   <li>Failure: rlimit hits are recognised from the exit status (SIGXCPU) and from what the
 *       command printed (allocation and fork failures); see {@link Termination#MEMORY_LIMIT}.
 * </ol>
 */
public final class ProcessSupervisor {

  /** How often the supervisor wakes to check the deadline and the process count. */
  static final long POLL_INTERVAL_MILLIS = 50;
  /**
   * A sandbox that stays at its process limit this long is a fork bomb (its forks keep failing):
   * kill it rather than wait for the wall time.
   */
  static final long PROCESS_LIMIT_SATURATION_MILLIS = 500;
  /**
   * Process counting scans /proc, so it starts only after this long: short commands (most of
   * them) never pay for it, and a fork bomb is still stopped within about a second.
   */
  static final long PROCESS_CHECK_AFTER_MILLIS = 200;
  /** How long to wait for the output readers after the process is gone. */
  static final long READER_JOIN_MILLIS = 2_000;

  static final int SIGKILL = 9;
  static final int SIGXCPU = 24;
  static final int SIGXFSZ = 25;
  static final int SIGNAL_EXIT_BASE = 128;
  static final int MAX_SIGNAL = 64;

  private static final List<String> MEMORY_MARKERS =
      List.of("memoryerror", "cannot allocate memory", "out of memory", "memory exhausted",
          "std::bad_alloc", "failed to reserve", "allocation failed", "could not reserve enough space");
  private static final List<String> FORK_MARKERS =
      List.of("cannot fork", "can't fork", "fork: retry", "fork: resource temporarily unavailable",
          "fork failed", "blockingioerror: [errno 11]");

  /** Starts the process; may run it on a prepared thread (see {@link SpawnThread}). */
  @FunctionalInterface
  public interface Starter {
    Process start() throws IOException;
  }

  private ProcessSupervisor() {}

  /**
   * Starts and supervises a process.
   *
   * @param processBaseline processes under the started one that are the sandbox's own plumbing
   *     (bwrap's outer and init processes), added to {@code maxProcesses} when watching for
   *     saturation
   */
  public static SandboxResult run(Starter starter, Limits limits, int processBaseline, String what)
      throws WardenSecurityException {
    long startNanos = System.nanoTime();
    Process process;
    try {
      process = starter.start();
    } catch (IOException e) {
      throw new WardenSecurityException(
          "could not start " + what + ": " + e.getMessage(), e);
    }
    AtomicReference<Termination> killedFor = new AtomicReference<>();
    Runnable overflow = () -> {
      if (killedFor.compareAndSet(null, Termination.OUTPUT_LIMIT)) {
        killTree(process);
      }
    };
    BoundedCapture out = new BoundedCapture(process.getInputStream(), limits.maxOutputBytes(), overflow);
    BoundedCapture err = new BoundedCapture(process.getErrorStream(), limits.maxOutputBytes(), overflow);
    Thread outThread = Thread.ofVirtual().name("sandbox-stdout").start(out);
    Thread errThread = Thread.ofVirtual().name("sandbox-stderr").start(err);

    long deadline = startNanos + limits.wallTime().toNanos();
    long saturatedSince = -1;
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          if (killedFor.compareAndSet(null, Termination.WALL_TIMEOUT)) {
            killTree(process);
          }
          process.waitFor();
          break;
        }
        if (process.waitFor(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, POLL_INTERVAL_MILLIS),
            TimeUnit.MILLISECONDS)) {
          break;
        }
        if (System.nanoTime() - startNanos < TimeUnit.MILLISECONDS.toNanos(PROCESS_CHECK_AFTER_MILLIS)) {
          continue;
        }
        long count = process.descendants().count();
        if (count >= limits.maxProcesses() + processBaseline - 1) {
          long now = System.nanoTime();
          if (saturatedSince < 0) {
            saturatedSince = now;
          } else if (now - saturatedSince >= TimeUnit.MILLISECONDS.toNanos(PROCESS_LIMIT_SATURATION_MILLIS)
              && killedFor.compareAndSet(null, Termination.PROCESS_LIMIT)) {
            killTree(process);
          }
        } else {
          saturatedSince = -1;
        }
      }
    } catch (InterruptedException e) {
      killedFor.compareAndSet(null, Termination.KILLED_BY_SIGNAL);
      killTree(process);
      Thread.currentThread().interrupt();
    }
    joinReaders(process, outThread, errThread);
    Duration wall = Duration.ofNanos(System.nanoTime() - startNanos);
    int exit = process.exitValue();
    String stdout = out.text();
    String stderr = err.text();
    Termination termination = classify(killedFor.get(), exit, stderr);
    return new SandboxResult(exit, stdout, stderr, out.truncated(), err.truncated(), termination,
        wall, summary(termination, exit, wall, limits));
  }

  private static void joinReaders(Process process, Thread... readers) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READER_JOIN_MILLIS);
    for (Thread t : readers) {
      try {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          t.join(Duration.ofNanos(left));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Output still open after the process ended: an escaped descendant holds the pipe (possible
    // only without a pid namespace). Kill it and close our ends so the readers finish.
    if (readers[0].isAlive() || readers[1].isAlive()) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      closeQuietly(process);
    }
  }

  private static void closeQuietly(Process process) {
    try {
      process.getInputStream().close();
      process.getErrorStream().close();
    } catch (IOException ignored) {
      // closing our end of a pipe cannot fail in a way that matters here
    }
  }

  /** SIGKILLs the process, then every descendant it still has. */
  public static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  static Termination classify(Termination killedForOrNull, int exit, String stderr) {
    String lower = stderr.toLowerCase(Locale.ROOT);
    // Forks that failed mean RLIMIT_NPROC was reached, whether the command then went on to exit
    // (a dash fork bomb collapses by itself) or ran into the wall time (bash retries forks).
    boolean forksFailed = FORK_MARKERS.stream().anyMatch(lower::contains);
    if (killedForOrNull != null) {
      return killedForOrNull == Termination.WALL_TIMEOUT && forksFailed
          ? Termination.PROCESS_LIMIT
          : killedForOrNull;
    }
    if (forksFailed) {
      return Termination.PROCESS_LIMIT;
    }
    if (exit == 0) {
      return Termination.EXITED;
    }
    if (exit == SIGNAL_EXIT_BASE + SIGXCPU) {
      return Termination.CPU_LIMIT;
    }
    if (MEMORY_MARKERS.stream().anyMatch(lower::contains)) {
      return Termination.MEMORY_LIMIT;
    }
    if (exit > SIGNAL_EXIT_BASE && exit <= SIGNAL_EXIT_BASE + MAX_SIGNAL) {
      return Termination.KILLED_BY_SIGNAL;
    }
    return Termination.EXITED;
  }

  static String summary(Termination t, int exit, Duration wall, Limits limits) {
    String took = " after " + wall.toMillis() + " ms";
    return switch (t) {
      case EXITED -> "exited with status " + exit + took;
      case WALL_TIMEOUT -> "killed: ran longer than the wall-time limit of "
          + limits.wallTime().toMillis() + " ms";
      case CPU_LIMIT -> "killed: used more than the CPU limit of " + limits.cpuSeconds() + " s" + took;
      case MEMORY_LIMIT -> "failed: could not allocate memory under the limit of "
          + limits.memoryBytes() + " bytes (status " + exit + ")" + took;
      case PROCESS_LIMIT -> "stopped: hit the limit of " + limits.maxProcesses()
          + " processes, forks failed (a fork bomb?); status " + exit + took;
      case OUTPUT_LIMIT -> "killed: wrote more than the output limit of "
          + limits.maxOutputBytes() + " bytes" + took;
      case KILLED_BY_SIGNAL -> "killed by signal " + signalName(exit - SIGNAL_EXIT_BASE) + took;
    };
  }

  private static String signalName(int signal) {
    return switch (signal) {
      case SIGKILL -> "SIGKILL (9)";
      case SIGXFSZ -> "SIGXFSZ (25, file larger than the file-size limit)";
      case 6 -> "SIGABRT (6)";
      case 11 -> "SIGSEGV (11)";
      case 15 -> "SIGTERM (15)";
      default -> String.valueOf(signal);
    };
  }
}
