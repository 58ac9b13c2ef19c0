package dev.warden.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * Resource limits of one sandboxed command. Every field is bounded below by what a shell needs
 * to start and above by nothing but the operator's judgement; {@link #DEFAULT} suits an agent's
 * shell command.
 *
 * <p>Enforcement: {@code cpuSeconds}, {@code memoryBytes}, {@code maxProcesses} and {@code
 * maxFileSizeBytes} are rlimits set inside the sandbox (RLIMIT_CPU, RLIMIT_AS, RLIMIT_NPROC,
 * RLIMIT_FSIZE); {@code wallTime} and {@code maxOutputBytes} are enforced by the supervising JVM,
 * which kills the whole process tree.
 *
 * @param wallTime how long the command may run, from start to exit
 * @param cpuSeconds CPU time the command may use (each process: RLIMIT_CPU is per process)
 * @param memoryBytes address space of each process (RLIMIT_AS)
 * @param maxProcesses processes and threads the sandbox user may have at once (RLIMIT_NPROC)
 * @param maxOutputBytes bytes kept of stdout, and of stderr; more kills the command
 * @param maxFileSizeBytes largest file the command may write (RLIMIT_FSIZE)
 */
public record Limits(
    Duration wallTime,
    long cpuSeconds,
    long memoryBytes,
    int maxProcesses,
    long maxOutputBytes,
    long maxFileSizeBytes) {

  /** Default wall time of a command. */
  public static final long DEFAULT_WALL_TIME_SECONDS = 60;
  /** Default CPU time of each process. */
  public static final long DEFAULT_CPU_SECONDS = 30;
  /** Default address-space cap of each process: enough for python, node and a JVM. */
  public static final long DEFAULT_MEMORY_BYTES = 4L << 30;
  /** Default cap on processes and threads at once. */
  public static final int DEFAULT_MAX_PROCESSES = 128;
  /** Default bytes kept of each of stdout and stderr. */
  public static final long DEFAULT_MAX_OUTPUT_BYTES = 1L << 20;
  /** Default largest file the command may write. */
  public static final long DEFAULT_MAX_FILE_SIZE_BYTES = 256L << 20;

  /** Below this a shell cannot start. */
  public static final long MIN_MEMORY_BYTES = 32L << 20;
  /** The shell, the proxy forwarder and one command need this many. */
  public static final int MIN_PROCESSES = 4;
  /** Room for at least an error message. */
  public static final long MIN_OUTPUT_BYTES = 256;
  /** Upper bound on kept output: it is held in the gateway's heap. */
  public static final long MAX_OUTPUT_BYTES = 64L << 20;

  /** The defaults above. */
  public static final Limits DEFAULT =
      new Limits(
          Duration.ofSeconds(DEFAULT_WALL_TIME_SECONDS),
          DEFAULT_CPU_SECONDS,
          DEFAULT_MEMORY_BYTES,
          DEFAULT_MAX_PROCESSES,
          DEFAULT_MAX_OUTPUT_BYTES,
          DEFAULT_MAX_FILE_SIZE_BYTES);

  public Limits {
    Objects.requireNonNull(wallTime, "wallTime");
    if (wallTime.isNegative() || wallTime.isZero()) {
      throw new IllegalArgumentException("wallTime must be positive, got " + wallTime);
    }
    if (cpuSeconds < 1) {
      throw new IllegalArgumentException("cpuSeconds must be at least 1, got " + cpuSeconds);
    }
    if (memoryBytes < MIN_MEMORY_BYTES) {
      throw new IllegalArgumentException(
          "memoryBytes must be at least " + MIN_MEMORY_BYTES + " (a shell needs it), got " + memoryBytes);
    }
    if (maxProcesses < MIN_PROCESSES) {
      throw new IllegalArgumentException(
          "maxProcesses must be at least " + MIN_PROCESSES + ", got " + maxProcesses);
    }
    if (maxOutputBytes < MIN_OUTPUT_BYTES || maxOutputBytes > MAX_OUTPUT_BYTES) {
      throw new IllegalArgumentException(
          "maxOutputBytes must be in [" + MIN_OUTPUT_BYTES + ", " + MAX_OUTPUT_BYTES + "], got "
              + maxOutputBytes);
    }
    if (maxFileSizeBytes < 1) {
      throw new IllegalArgumentException("maxFileSizeBytes must be positive, got " + maxFileSizeBytes);
    }
  }

  public Limits withWallTime(Duration value) {
    return new Limits(value, cpuSeconds, memoryBytes, maxProcesses, maxOutputBytes, maxFileSizeBytes);
  }

  public Limits withCpuSeconds(long value) {
    return new Limits(wallTime, value, memoryBytes, maxProcesses, maxOutputBytes, maxFileSizeBytes);
  }

  public Limits withMemoryBytes(long value) {
    return new Limits(wallTime, cpuSeconds, value, maxProcesses, maxOutputBytes, maxFileSizeBytes);
  }

  public Limits withMaxProcesses(int value) {
    return new Limits(wallTime, cpuSeconds, memoryBytes, value, maxOutputBytes, maxFileSizeBytes);
  }

  public Limits withMaxOutputBytes(long value) {
    return new Limits(wallTime, cpuSeconds, memoryBytes, maxProcesses, value, maxFileSizeBytes);
  }

  public Limits withMaxFileSizeBytes(long value) {
    return new Limits(wallTime, cpuSeconds, memoryBytes, maxProcesses, maxOutputBytes, value);
  }
}
