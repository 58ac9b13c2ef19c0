package dev.warden.registry.scan;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The body of {@code warden skills scan PATH... [--json|--sarif]}: scans, draws a progress bar on
 * a terminal-ish stream, writes the report, and returns the process exit code.
 *
 * <p>Exit codes: {@link #EXIT_OK} no skill is malicious (suspicious ones are listed but do not fail
 * the command); {@link #EXIT_MALICIOUS} at least one skill is malicious; {@link #EXIT_USAGE} a path
 * does not exist or holds no skill.
 */
public final class ScanCli {
  public static final int EXIT_OK = 0;
  public static final int EXIT_MALICIOUS = 1;
  public static final int EXIT_USAGE = 2;
  /** Minimum time between two progress-bar redraws, in milliseconds. */
  public static final long PROGRESS_REDRAW_INTERVAL_MILLIS = 100;
  /** Width of the bar, in characters. */
  public static final int PROGRESS_BAR_CHARS = 30;

  private final SkillScanner scanner;
  private final LongSupplier nanoClock;

  public ScanCli(SkillScanner scanner) {
    this(scanner, System::nanoTime);
  }

  /** With an injected clock, for tests of the throttling. */
  public ScanCli(SkillScanner scanner, LongSupplier nanoClock) {
    this.scanner = scanner;
    this.nanoClock = nanoClock;
  }

  /**
   * Scans {@code paths} (skill folders, or folders holding skills) and writes the report to {@code
   * out} in {@code format}. Progress goes to {@code progressOrNull} (pass {@code null} for none);
   * errors about the arguments go there too, or to {@code out} when it is null.
   */
  public int runScan(List<Path> paths, ScanFormat format, PrintStream out, PrintStream progressOrNull) {
    PrintStream err = progressOrNull != null ? progressOrNull : out;
    for (Path p : paths) {
      if (!Files.exists(p)) {
        err.println("warden skills scan: " + p + " does not exist; give skill folders or folders that hold skills");
        return EXIT_USAGE;
      }
    }
    List<Path> dirs = SkillScanner.discover(paths);
    if (dirs.isEmpty()) {
      err.println("warden skills scan: no SKILL.md found under " + paths + "; a skill is a folder with a SKILL.md");
      return EXIT_USAGE;
    }
    Bar bar = progressOrNull == null ? null : new Bar(progressOrNull, nanoClock);
    List<ScanReport> reports = scanner.scanAll(dirs, bar == null ? ProgressListener.NONE : bar);
    if (bar != null) {
      bar.finish();
    }
    format.write(reports, out);
    out.flush();
    return ScanFormat.counts(reports).get(Verdict.MALICIOUS) > 0 ? EXIT_MALICIOUS : EXIT_OK;
  }

  /** A one-line progress bar redrawn with carriage returns, at most every PROGRESS_REDRAW_INTERVAL_MILLIS. */
  static final class Bar implements ProgressListener {
    private final PrintStream out;
    private final LongSupplier clock;
    private final long start;
    private long lastDraw = Long.MIN_VALUE;
    private int done;
    private int total;
    private int malicious;
    private int suspicious;
    int redraws;

    Bar(PrintStream out, LongSupplier clock) {
      this.out = out;
      this.clock = clock;
      this.start = clock.getAsLong();
    }

    @Override
    public void onSkillScanned(int done, int total, ScanReport report) {
      this.done = done;
      this.total = total;
      if (report.verdict() == Verdict.MALICIOUS) malicious++;
      if (report.verdict() == Verdict.SUSPICIOUS) suspicious++;
      long now = clock.getAsLong();
      if (lastDraw == Long.MIN_VALUE || now - lastDraw >= PROGRESS_REDRAW_INTERVAL_MILLIS * 1_000_000L || done == total) {
        lastDraw = now;
        draw(now);
      }
    }

    private void draw(long now) {
      redraws++;
      int filled = total == 0 ? PROGRESS_BAR_CHARS : (int) ((long) done * PROGRESS_BAR_CHARS / total);
      double secs = Math.max(1e-9, (now - start) / 1e9);
      out.print(String.format("\r[%s%s] %d/%d skills  %.0f/s  %d malicious  %d suspicious",
          "#".repeat(filled), "-".repeat(PROGRESS_BAR_CHARS - filled), done, total, done / secs, malicious, suspicious));
      out.flush();
    }

    void finish() {
      out.println();
      out.flush();
    }

  }
}
