package dev.warden.registry.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scanner throughput on a generated corpus of {@value #SKILLS} skills (see docs/BENCHMARKS-scanner.md).
 *
 * <p>Run: {@code mvn -o -pl warden-registry -am verify -Dgroups=slow -DexcludedGroups=none
 * -Dtest=ScannerThroughputTest -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("slow")
class ScannerThroughputTest {
  static final int SKILLS = Integer.getInteger("warden.bench.skills", 10_000);

  @TempDir Path tmp;

  @Test
  void scanAll_generatedCorpus_reportsSkillsPerSecond() throws Exception {
    long g0 = System.nanoTime();
    int malicious = new ScanCorpusGenerator(42).generate(tmp, SKILLS);
    double genSeconds = (System.nanoTime() - g0) / 1e9;

    SkillScanner scanner = new SkillScanner();
    // Warm-up on a slice so that the figure is the scanner's steady state, not JIT compilation.
    scanner.scanAll(SkillScanner.discover(List.of(tmp)).subList(0, Math.min(500, SKILLS)), ProgressListener.NONE);

    PrintStream progress = System.out;
    ScanCli.Bar bar = new ScanCli.Bar(progress, System::nanoTime);
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    List<ScanReport> reports = scanner.scanAll(List.of(tmp), bar);
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
    bar.finish();

    long flaggedMalicious = reports.stream().filter(r -> r.dir().getFileName().toString().startsWith("m-"))
        .filter(r -> r.verdict() != Verdict.CLEAN).count();
    long flaggedBenign = reports.stream().filter(r -> r.dir().getFileName().toString().startsWith("b-"))
        .filter(r -> r.verdict() != Verdict.CLEAN).count();
    System.out.printf("SCANNER-THROUGHPUT skills=%d malicious=%d generated_in=%.1fs scanned_in=%.2fs skills_per_second=%.0f threads=%d cpus=%d%n",
        reports.size(), malicious, genSeconds, seconds, reports.size() / seconds, scanner.threads(),
        Runtime.getRuntime().availableProcessors());
    String load = java.nio.file.Files.exists(Path.of("/proc/loadavg")) ? java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip() : "n/a";
    System.out.printf("SCANNER-THROUGHPUT process_cpu=%.1fs skills_per_cpu_second=%.0f loadavg_after=%s%n", cpuSeconds, reports.size() / cpuSeconds, load);
    System.out.printf("SCANNER-THROUGHPUT flagged malicious=%d/%d benign_flagged=%d%n", flaggedMalicious, malicious, flaggedBenign);
    assertThat(reports).hasSize(SKILLS);
    assertThat(flaggedMalicious).isEqualTo(malicious);
    assertThat(flaggedBenign).isZero();
  }
}
