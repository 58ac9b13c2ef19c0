package dev.warden.bench;

import dev.warden.kernel.Action;
import dev.warden.kernel.Decision;
import dev.warden.kernel.Facts;
import dev.warden.kernel.Label;
import dev.warden.kernel.Policy;
import dev.warden.kernel.PolicyRequest;
import dev.warden.kernel.Principal;
import dev.warden.policy.CedarPolicy;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Latency of one policy decision, as the kernel makes it before every action.
 *
 * <p>Workload: one {@link PolicyRequest} decided over and over by Warden's default policy set:
 * <ul>
 *   <li>{@code allow}: the owner, trusted context, {@code GET} of a public URL seen in the session
 *       ({@code allow-owner-operator});
 *   <li>{@code deny}: the owner, trusted context, {@code GET} of a loopback URL without
 *       {@code --allow-host} ({@code deny-egress-non-public-destination});
 *   <li>{@code ask}: the owner, a context tainted by {@code web:example.org}, a {@code POST} with
 *       a body to a URL not seen in the session (three asks match; {@code ask-tainted-egress-body}
 *       decides).
 * </ul>
 * Engines ({@code @Param engine}):
 * <ul>
 *   <li>{@code cedar-memo}: {@link CedarPolicy#loadDefaults()} as the kernel uses it; after the
 *       first call every call is a memo hit (request mapping + LRU lookup);
 *   <li>{@code cedar}: the same policies with the memo disabled: every call is a cedar-java
 *       {@code isAuthorized} on the cached policy set (JNI + native evaluation + reason rendering);
 *   <li>{@code java}: {@link JavaDefaultPolicy}, the same rules hand-written in Java.
 * </ul>
 * Setup first checks that the three engines agree on verdict and rule for the request.
 *
 * <p>Run (SampleTime gives the p50/p99 percentiles):
 * <pre>
 * mvn -o -q -pl warden-bench -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED -jar warden-bench/target/benchmarks.jar PolicyDecisionBenchmark \
 *     -f 1 -wi 2 -w 2s -i 3 -r 2s -bm sample -tu us
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class PolicyDecisionBenchmark {

  @Param({"cedar-memo", "cedar", "java"})
  public String engine;

  @Param({"allow", "deny", "ask"})
  public String decision;

  private Policy policy;
  private PolicyRequest request;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    CedarPolicy cedar = CedarPolicy.loadDefaults();
    policy = switch (engine) {
      case "cedar-memo" -> cedar;
      case "cedar" -> cedar.withMemoCapacity(0);
      case "java" -> new JavaDefaultPolicy();
      default -> throw new IllegalArgumentException("unknown engine " + engine);
    };
    request = request(decision);
    Decision reference = cedar.withMemoCapacity(0).decide(request);
    Decision mine = policy.decide(request);
    if (!reference.verdict().equals(decision) || !mine.verdict().equals(decision) || !mine.rule().equals(reference.rule())) {
      throw new IllegalStateException("engines disagree on the " + decision + " workload: cedar " + reference + ", " + engine + " " + mine);
    }
    for (int i = 0; i < 10_000; i++) {
      policy.decide(request);
    }
  }

  @Benchmark
  public Decision decide() {
    return policy.decide(request);
  }

  static PolicyRequest request(String decision) {
    return switch (decision) {
      case "allow" -> new PolicyRequest(
          new Action.Egress("GET", URI.create("https://example.org/articles/1"), Map.of(), null, "web_fetch"),
          Principal.owner(), Label.owner(), Set.of(),
          Map.of(Facts.DESTINATION, "public", Facts.URL_IN_SESSION, true));
      case "deny" -> new PolicyRequest(
          new Action.Egress("GET", URI.create("http://127.0.0.1:8080/admin"), Map.of(), null, "web_fetch"),
          Principal.owner(), Label.owner(), Set.of(),
          Map.of(Facts.DESTINATION, "loopback", Facts.URL_IN_SESSION, true));
      case "ask" -> new PolicyRequest(
          new Action.Egress("POST", URI.create("https://collector.example/upload"), Map.of(), "{\"files\":\"...\"}", "http_request"),
          Principal.owner(), Label.owner().join(Label.untrusted("web:example.org")), Set.of(),
          Map.of(Facts.DESTINATION, "public"));
      default -> throw new IllegalArgumentException("unknown decision " + decision);
    };
  }
}
