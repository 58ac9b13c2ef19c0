package dev.warden.monitor.hunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.kernel.Action;
import dev.warden.monitor.MonitorFixture;
import dev.warden.monitor.internal.MonitorJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HuntRunnerTest {
  @TempDir Path dir;
  MonitorFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new MonitorFixture(dir);
    f.submit(new Action.Exec(List.of("bash", "-c", "=cmd|' /C calc'!A0, \"x\""), "/w", false), f.owner("s1"));
    f.sync();
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  record Run(int code, String out) {}

  Run run(HuntArgs args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code = f.monitor.hunt(args, new PrintStream(buf, true, StandardCharsets.UTF_8));
    return new Run(code, buf.toString(StandardCharsets.UTF_8));
  }

  @Test
  void noArguments_listsEveryHunt() {
    Run r = run(HuntArgs.list());
    assertThat(r.code()).isZero();
    for (Hunt h : Hunts.all()) {
      assertThat(r.out()).contains(h.name());
    }
    assertThat(r.out()).contains("--sql");
  }

  @Test
  void unknownHunt_exitsWithUsageError() {
    Run r = run(HuntArgs.named("no-such-hunt", null, HuntArgs.Format.TABLE));
    assertThat(r.code()).isEqualTo(HuntRunner.EXIT_USAGE);
    assertThat(r.out()).contains("no hunt named 'no-such-hunt'");
  }

  @Test
  void unknownParameter_isRefused() {
    Run r = run(new HuntArgs("process-activity", null, HuntArgs.Format.TABLE, null, Map.of("nope", "1")));
    assertThat(r.code()).isEqualTo(HuntRunner.EXIT_USAGE);
    assertThat(r.out()).contains("has no parameter 'nope'");
  }

  @Test
  void table_json_csv_renderTheSameRows() {
    Run table = run(HuntArgs.named("process-activity", "1d", HuntArgs.Format.TABLE));
    assertThat(table.out()).contains("program").contains("bash").contains("(1 row");
    Run json = run(HuntArgs.named("process-activity", "1d", HuntArgs.Format.JSON));
    assertThat(json.out()).startsWith("[{");
    Run csv = run(HuntArgs.named("process-activity", "1d", HuntArgs.Format.CSV));
    String[] lines = csv.out().split("\r\n");
    assertThat(lines[0]).startsWith("time,session,principal,action,program,cmd_line");
    assertThat(lines).hasSize(2);
  }

  @Test
  void csv_defusesFormulasAndQuotes() {
    HuntResult r = new HuntResult(List.of("a", "b"), List.of(List.of("=HYPERLINK(\"x\")", 5)), false, java.time.Duration.ZERO);
    assertThat(r.toCsv()).isEqualTo("a,b\r\n\"'=HYPERLINK(\"\"x\"\")\",5\r\n");
  }

  @Test
  void table_replacesControlCharacters() {
    HuntResult r = new HuntResult(List.of("a"), List.of(List.of("evil\u001b[31mred")), false, java.time.Duration.ZERO);
    assertThat(r.toTable()).contains("evil?[31mred").doesNotContain("\u001b");
  }

  @Test
  void adHocSql_readsEvents_andBindsSince() {
    Run r = run(HuntArgs.sql("SELECT action, COUNT(*) AS n FROM events WHERE time >= :since GROUP BY action ORDER BY action",
        HuntArgs.Format.JSON));
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("{\"action\":\"exec\",\"n\":2}");
  }

  @Test
  void adHocSql_writesAreRejected_andNothingChanges() throws Exception {
    long before = f.monitor.eventStore().count();
    for (String sql : List.of("DELETE FROM events", "WITH x AS (SELECT 1) DELETE FROM events", "SELECT 1; DELETE FROM events")) {
      Run r = run(HuntArgs.sql(sql, HuntArgs.Format.TABLE));
      assertThat(r.code()).as(sql).isEqualTo(HuntRunner.EXIT_USAGE);
    }
    assertThat(f.monitor.eventStore().count()).isEqualTo(before);
  }

  @Test
  void adHocSql_colonInsideALiteral_isNotAParameter() {
    Run r = run(HuntArgs.sql("SELECT '12:30 :x' AS t, :since > 0 AS s", HuntArgs.Format.JSON));
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("\"t\":\"12:30 :x\"").contains("\"s\":1");
  }

  @Test
  void adHocSql_rowsAreBounded() throws Exception {
    HuntResult r = new HuntRunner(f.home.eventsDb(), f.clock).runSql(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 20000) SELECT x FROM c", Instant.EPOCH);
    assertThat(r.rows()).hasSize(HuntRunner.MAX_ROWS);
    assertThat(r.truncated()).isTrue();
  }

  @Test
  void adHocSql_syntaxError_exitsFailedWithTheDatabaseMessage() {
    Run r = run(HuntArgs.sql("SELECT nope FROM events", HuntArgs.Format.TABLE));
    assertThat(r.code()).isEqualTo(HuntRunner.EXIT_FAILED);
    assertThat(r.out()).contains("no such column");
  }

  @Test
  void since_understandsRelativeAbsoluteAndRejectsGarbage() {
    Instant now = Instant.parse("2026-11-26T12:00:00Z");
    assertThat(HuntRunner.parseSince("24h", now)).isEqualTo(Instant.parse("2026-11-25T12:00:00Z"));
    assertThat(HuntRunner.parseSince("2w", now)).isEqualTo(Instant.parse("2026-11-12T12:00:00Z"));
    assertThat(HuntRunner.parseSince("2026-11-01", now)).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(HuntRunner.parseSince(null, now)).isEqualTo(now.minus(HuntRunner.DEFAULT_SINCE));
    assertThatThrownBy(() -> HuntRunner.parseSince("yesterday", now)).hasMessageContaining("not understood");
  }

  @Test
  void jsonOutput_isParseable() {
    Run r = run(HuntArgs.named("process-activity", "1d", HuntArgs.Format.JSON));
    assertThat(parseList(r.out())).hasSize(1);
  }

  static List<?> parseList(String json) {
    try {
      return MonitorJson.MAPPER.readValue(json, List.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
