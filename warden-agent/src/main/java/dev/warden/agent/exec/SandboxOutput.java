package dev.warden.agent.exec;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxResult;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a sandboxed run is reported, the same for the exec tool, skill scripts and WASM tools: the
 * summary line, standard output, then standard error after a {@code [stderr]} marker (which
 * {@code warden exec} splits on), and the audit details of the run.
 */
public final class SandboxOutput {
  /** Separates standard output from standard error in a run's text. */
  public static final String STDERR_MARKER = "[stderr]\n";

  private SandboxOutput() {}

  public static String text(SandboxResult r) {
    StringBuilder out = new StringBuilder();
    out.append(r.summary()).append('\n');
    if (!r.stdout().isEmpty()) {
      out.append(r.stdout());
      if (!r.stdout().endsWith("\n")) {
        out.append('\n');
      }
    }
    if (!r.stderr().isEmpty()) {
      out.append(STDERR_MARKER).append(r.stderr());
    }
    return out.toString();
  }

  /** Exit code, termination, wall time and the protection in force. */
  public static Map<String, Object> details(SandboxResult r, Sandbox box) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("exit_code", r.exitCode());
    details.put("termination", r.termination().name().toLowerCase(Locale.ROOT));
    details.put("wall_ms", r.wallDuration().toMillis());
    details.put("sandbox", box.describe());
    return details;
  }
}
