package dev.warden.bench;

import dev.warden.kernel.AgentKey;
import dev.warden.kernel.audit.AuditLog;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.store.SqliteAuditStore;
import dev.warden.store.StateDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable audit-append throughput: one decision record per operation, committed with
 * {@code synchronous=FULL} in WAL mode (it survives kill -9 when append returns). {@code warden}
 * is the real path — canonical JSON, SHA-256 chain, signed head file, periodic signed checkpoints;
 * {@code plain} is the baseline: a plain SQLite INSERT of a row of the same shape into the same
 * kind of table on the same settings, measured in the same run.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -jar warden-bench/target/benchmarks.jar
 * AuditAppendBenchmark -f 1 -wi 1 -i 3 -r 3s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
public class AuditAppendBenchmark {

  @Param({"warden", "plain"})
  public String store;

  StateDb db;
  AuditLog log;
  PreparedStatement plain;
  long seq;
  Map<String, Object> body;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dev.warden.egress.BouncyCastleSigning.install();
    Path dir = Files.createTempDirectory("warden-bench-audit");
    db = StateDb.open(dir.resolve("state.db"));
    log = new AuditLog(new SqliteAuditStore(db), AgentKey.generate(), InstantSource.system(), dir.resolve("audit.head"));
    plain = db.connection().prepareStatement(
        "INSERT INTO audit(seq, time, type, session, principal, body, prev, hash) VALUES (?,?,?,?,?,?,?,?)");
    body = new LinkedHashMap<>();
    body.put("action", "egress");
    body.put("resource", "example.org");
    body.put("fields", Map.of("method", "GET", "url", "https://example.org/page", "host", "example.org", "port", 443));
    body.put("verdict", "allow");
    body.put("rule", "allow-owner-operator");
    body.put("reason", "owner:owner may use every tool within the workspace and reach any public host");
    body.put("label", "trusted/private[owner]");
    seq = 10_000_000;
  }

  @Benchmark
  public long append() throws Exception {
    if (store.equals("warden")) {
      return log.append(AuditRecord.Type.DECISION, "bench-session", "owner:owner", body).seq();
    }
    // Same columns, same JSON size, precomputed-looking hashes: what a plain insert costs.
    long s = ++seq;
    plain.setLong(1, s);
    plain.setString(2, Instant.now().toString());
    plain.setString(3, "decision");
    plain.setString(4, "bench-session");
    plain.setString(5, "owner:owner");
    plain.setString(6, dev.warden.kernel.CanonicalJson.write(body));
    plain.setString(7, "0".repeat(64));
    plain.setString(8, "f".repeat(64));
    plain.executeUpdate();
    return s;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    plain.close();
    db.close();
  }
}
