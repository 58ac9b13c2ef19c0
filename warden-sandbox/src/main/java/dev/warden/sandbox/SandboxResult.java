package dev.warden.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How a sandboxed command ended and what it printed.
 *
 * <p>Output is decoded as UTF-8 (malformed bytes replaced). When a stream went over {@link
 * Limits#maxOutputBytes()}, the kept prefix ends with {@link #truncationMarker(long)} and the
 * matching flag is set.
 *
 * @param exitCode the exit status as the supervisor saw it: 0-255, where 128+N means signal N
 * @param stdout what the command wrote to stdout (possibly truncated)
 * @param stderr what the command wrote to stderr (possibly truncated)
 * @param stdoutTruncated whether stdout went over the limit
 * @param stderrTruncated whether stderr went over the limit
 * @param termination why the command ended
 * @param wallDuration from start to end, as measured by the supervisor
 * @param summary a line for a human (and the model): what ended the command and why
 */
public record SandboxResult(
    int exitCode,
    String stdout,
    String stderr,
    boolean stdoutTruncated,
    boolean stderrTruncated,
    Termination termination,
    Duration wallDuration,
    String summary) {

  public SandboxResult {
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
    Objects.requireNonNull(termination, "termination");
    Objects.requireNonNull(wallDuration, "wallDuration");
    Objects.requireNonNull(summary, "summary");
  }

  /** True when the command exited by itself with status 0. */
  public boolean succeeded() {
    return termination == Termination.EXITED && exitCode == 0;
  }

  /** The line appended to a stream cut at {@code limitBytes}. */
  public static String truncationMarker(long limitBytes) {
    return "\n[output truncated after " + limitBytes + " bytes]\n";
  }
}
