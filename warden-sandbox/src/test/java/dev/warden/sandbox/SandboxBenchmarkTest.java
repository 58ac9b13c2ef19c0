package dev.warden.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spawn cost: a sandboxed {@code true} against a plain process spawn and a bare bwrap.
 *
 * <p>Run: {@code mvn -o -pl warden-sandbox -am test -Dwarden.excludedGroups=none -Dgroups=slow -Dtest=SandboxBenchmarkTest
 * -Dsurefire.failIfNoSpecifiedTests=false}. Prints a Markdown table and writes it to {@code
 * warden-sandbox/target/BENCHMARKS-sandbox.md}.
 */
@Tag("slow")
class SandboxBenchmarkTest {

  /** Runs measured per variant. */
  static final int RUNS = Integer.getInteger("warden.bench.runs", 300);
  /** Unmeasured runs first, per variant. */
  static final int WARMUP_RUNS = 30;

  @TempDir Path tmp;

  interface Body {
    void run() throws Exception;
  }

  record Stats(String name, double p50Ms, double p90Ms, double p99Ms, double meanMs) {}

  /**
   * Runs the variants interleaved (one run of each per round), so that the load of a shared
   * machine drifts over all of them alike.
   */
  static List<Stats> measureInterleaved(List<String> names, List<Body> bodies) throws Exception {
    for (int i = 0; i < WARMUP_RUNS; i++) {
      for (Body b : bodies) {
        b.run();
      }
    }
    long[][] nanos = new long[bodies.size()][RUNS];
    for (int i = 0; i < RUNS; i++) {
      for (int v = 0; v < bodies.size(); v++) {
        long t0 = System.nanoTime();
        bodies.get(v).run();
        nanos[v][i] = System.nanoTime() - t0;
      }
    }
    List<Stats> out = new ArrayList<>();
    for (int v = 0; v < bodies.size(); v++) {
      long[] n = nanos[v];
      Arrays.sort(n);
      double mean = Arrays.stream(n).average().orElseThrow() / 1e6;
      out.add(new Stats(names.get(v), pct(n, 50), pct(n, 90), pct(n, 99), mean));
    }
    return out;
  }

  static Stats measure(String name, Body body) throws Exception {
    for (int i = 0; i < WARMUP_RUNS; i++) {
      body.run();
    }
    long[] nanos = new long[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long t0 = System.nanoTime();
      body.run();
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    double mean = Arrays.stream(nanos).average().orElseThrow() / 1e6;
    return new Stats(name, pct(nanos, 50), pct(nanos, 90), pct(nanos, 99), mean);
  }

  static double pct(long[] sorted, int p) {
    int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, idx)] / 1e6;
  }

  static void spawn(List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true);
    Process p = pb.start();
    p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("failed: " + cmd);
    }
  }

  @Test
  void spawnTrue_sandboxedVsPlainVsBareBwrap() throws Exception {
    Path ws = TestSandboxes.workspace(tmp);
    BubblewrapSandbox sandbox = TestSandboxes.bwrap();
    SandboxSpec spec = SandboxSpec.builder(ws, "/bin/true").build();
    List<String> bare = new ArrayList<>(List.of("/usr/bin/bwrap", "--unshare-all", "--die-with-parent",
        "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
        "--symlink", "usr/lib64", "/lib64", "--proc", "/proc", "--dev", "/dev", "/usr/bin/true"));
    List<String> bareUnprivileged = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534",
        "--regid=65534", "--clear-groups"));
    bareUnprivileged.addAll(bare.subList(0, 1));
    bareUnprivileged.addAll(List.of("--unshare-user"));
    bareUnprivileged.addAll(bare.subList(1, bare.size()));

    List<String> names = new ArrayList<>();
    List<Body> bodies = new ArrayList<>();
    names.add("plain ProcessBuilder /bin/true");
    bodies.add(() -> spawn(List.of("/bin/true")));
    names.add("bare bwrap --unshare-all ... true");
    bodies.add(() -> spawn(bare));
    if (Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
      names.add("bare bwrap via setpriv uid 65534");
      bodies.add(() -> spawn(bareUnprivileged));
    }
    names.add("BubblewrapSandbox.run(true)");
    bodies.add(() -> {
      SandboxResult r = sandbox.run(spec);
      if (!r.succeeded()) {
        throw new IllegalStateException(r.summary() + r.stderr());
      }
    });
    List<Stats> all = measureInterleaved(names, bodies);

    double plain = all.getFirst().p50Ms();
    double bareP50 = all.get(1).p50Ms();
    StringBuilder md = new StringBuilder();
    md.append("| variant | p50 ms | p90 ms | p99 ms | mean ms | p50 / plain | p50 / bare bwrap |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Stats s : all) {
      md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.1f× | %.2f× |%n",
          s.name(), s.p50Ms(), s.p90Ms(), s.p99Ms(), s.meanMs(), s.p50Ms() / plain, s.p50Ms() / bareP50));
    }
    md.append("\n").append(RUNS).append(" measured runs per variant, interleaved, after ").append(WARMUP_RUNS)
        .append(" warm-up rounds; sandbox: ").append(sandbox.describe()).append("\n");
    System.out.println(md);
    Path out = Path.of("target", "BENCHMARKS-sandbox.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md);
    assertThat(all).allMatch(s -> s.p50Ms() > 0);
  }

  @Test
  void wasmToolCall_latency() throws Exception {
    WasmSandbox wasm = WasmSandbox.create(WasmSandbox.DENY_ALL_HTTP);
    WasmToolSpec hello = WasmToolSpec.builder("hello", WasmSandboxTest.module("hello")).build();
    WasmToolSpec http = WasmToolSpec.builder("http", WasmSandboxTest.module("http")).build();
    List<Stats> all = List.of(
        measure("WasmSandbox.run(hello.wasm): parse + instantiate + WASI write", () -> {
          if (!wasm.run(hello).succeeded()) {
            throw new IllegalStateException();
          }
        }),
        measure("WasmSandbox.run(http.wasm): + one http_request to a deny-all hook", () -> wasm.run(http)));
    StringBuilder md = new StringBuilder();
    md.append("| variant | p50 ms | p90 ms | p99 ms | mean ms |\n| --- | ---: | ---: | ---: | ---: |\n");
    for (Stats s : all) {
      md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f |%n",
          s.name(), s.p50Ms(), s.p90Ms(), s.p99Ms(), s.meanMs()));
    }
    md.append("\n").append(RUNS).append(" measured runs per variant after ").append(WARMUP_RUNS).append(" warm-up runs\n");
    System.out.println(md);
    Path out = Path.of("target", "BENCHMARKS-wasm.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md);
  }

  /** Where the sandbox's time goes: the same bwrap options step by step, spawned directly. */
  @Test
  void spawnTrue_ablation() throws Exception {
    Path ws = TestSandboxes.workspace(tmp);
    BubblewrapSandbox sandbox = TestSandboxes.bwrap();
    SandboxSpec spec = SandboxSpec.builder(ws, "/bin/true").build();
    sandbox.run(spec); // hands the workspace to the sandbox uid
    List<String> opts = new ArrayList<>(sandbox.bwrapArgs(spec, null));
    opts.removeAll(List.of("--seccomp", "3"));
    List<String> setpriv = List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
    List<String> ourOpts = new ArrayList<>(setpriv);
    ourOpts.add("/usr/bin/bwrap");
    ourOpts.addAll(opts);
    ourOpts.add("--");
    List<String> noLimits = new ArrayList<>(ourOpts);
    noLimits.add("/bin/true");
    List<String> withPrlimit = new ArrayList<>(ourOpts);
    withPrlimit.addAll(BubblewrapSandbox.innerCommand(spec, true));
    List<Stats> all = measureInterleaved(
        List.of("setpriv + bwrap with Warden's options, no seccomp, no prlimit",
            "... + prlimit", "BubblewrapSandbox.run(true) (+ sh launcher, seccomp, --args, Landlock helper setting the rlimits instead of prlimit, supervisor)"),
        List.of(() -> spawn(noLimits), () -> spawn(withPrlimit), () -> sandbox.run(spec)));
    StringBuilder md = new StringBuilder("| step | p50 ms | p90 ms | p99 ms |\n| --- | ---: | ---: | ---: |\n");
    for (Stats st : all) {
      md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", st.name(), st.p50Ms(), st.p90Ms(), st.p99Ms()));
    }
    System.out.println(md);
    Files.writeString(Path.of("target", "BENCHMARKS-sandbox-ablation.md"), md);
  }
}
