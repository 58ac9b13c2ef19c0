package dev.warden.bench;

import dev.warden.agent.exec.StandardNormalizer;
import dev.warden.agent.exec.Workspace;
import dev.warden.egress.DestinationGuard;
import dev.warden.kernel.Action;
import dev.warden.kernel.ActionExecutor;
import dev.warden.kernel.AgentKey;
import dev.warden.kernel.ApprovalStore;
import dev.warden.kernel.Decision;
import dev.warden.kernel.GrantStore;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.Label;
import dev.warden.kernel.SessionContext;
import dev.warden.kernel.Submission;
import dev.warden.kernel.audit.AuditLog;
import dev.warden.kernel.audit.InMemoryAuditStore;
import dev.warden.policy.CedarPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Kernel decision latency: what {@code Kernel.submit} spends before an action runs — the real
 * normaliser (workspace path checks on disk), the shipped Cedar policy (with its memo), standing
 * grants — for an allow (owner reads a workspace file), a deny (a path escaping the workspace) and
 * an ask (a tainted session writing memory). {@code decide} is the decision alone;
 * {@code submitWithAudit} adds building and hashing the audit record (in-memory store, so the
 * fsync is measured separately by {@link AuditAppendBenchmark}).
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -jar warden-bench/target/benchmarks.jar
 * KernelDecisionBenchmark -f 1 -wi 2 -i 3 -r 2s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class KernelDecisionBenchmark {

  @Param({"allow", "deny", "ask"})
  public String verdict;

  Kernel kernel;
  Action action;
  SessionContext session;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path dir = Files.createTempDirectory("warden-bench-kernel");
    Workspace ws = new Workspace(dir.resolve("workspace"));
    Files.writeString(ws.root().resolve("notes.txt"), "hello");
    StandardNormalizer normalizer = new StandardNormalizer(ws, DestinationGuard.publicOnly(), "owner", (c, h) -> false);
    AuditLog audit = new AuditLog(new InMemoryAuditStore(), AgentKey.generate(), InstantSource.system(), null);
    kernel = new Kernel(CedarPolicy.loadDefaults(), normalizer, audit, new ApprovalStore.InMemory(), new GrantStore.InMemory(),
        InstantSource.system(), Duration.ofMinutes(30));
    kernel.register(Action.FileRead.class, (a, s) -> ActionExecutor.Result.of("hello", Label.trusted("workspace")));
    session = SessionContext.forOwner("bench");
    switch (verdict) {
      case "allow" -> action = new Action.FileRead("notes.txt");
      case "deny" -> action = new Action.FileRead("../../etc/shadow");
      default -> {
        session.observe("page", Label.untrusted("web:example.org"));
        action = new Action.MemoryWrite("MEMORY.md", "remember this");
      }
    }
    Decision d = kernel.decide(action, session);
    if (!d.verdict().equals(verdict)) {
      throw new IllegalStateException("benchmark setup expected " + verdict + " but the kernel said " + d);
    }
  }

  @Benchmark
  public Decision decide() {
    return kernel.decide(action, session);
  }

  @Benchmark
  public Submission submitWithAudit() {
    Submission s = kernel.submit(action, session);
    if (s instanceof Submission.Pending p) {
      kernel.cancelAllPending("bench");
    }
    return s;
  }
}
