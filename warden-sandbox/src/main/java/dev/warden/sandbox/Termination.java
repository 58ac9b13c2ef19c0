package dev.warden.sandbox;

/** How a sandboxed command ended. Everything but {@link #EXITED} means a limit or a signal. */
public enum Termination {
  /** The command exited by itself; its exit code is meaningful. */
  EXITED,
  /** It ran longer than {@link Limits#wallTime()} and was killed with its whole process tree. */
  WALL_TIMEOUT,
  /** It used more than {@link Limits#cpuSeconds()} of CPU (RLIMIT_CPU: SIGXCPU, then SIGKILL). */
  CPU_LIMIT,
  /**
   * It could not get memory under {@link Limits#memoryBytes()} (RLIMIT_AS). Recognised from how
   * the command reported the failed allocation, so best effort: a program that hides the failure
   * is reported as {@link #EXITED} or {@link #KILLED_BY_SIGNAL}.
   */
  MEMORY_LIMIT,
  /** It kept hitting {@link Limits#maxProcesses()} (a fork bomb) and was killed. */
  PROCESS_LIMIT,
  /** It wrote more than {@link Limits#maxOutputBytes()} to stdout or stderr and was killed. */
  OUTPUT_LIMIT,
  /** A signal ended it (other than the ones above). */
  KILLED_BY_SIGNAL
}
