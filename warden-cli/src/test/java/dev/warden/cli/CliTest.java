package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `warden` command end to end, in-process, against real homes on disk. */
class CliTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static synchronized Run warden(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void runJson_printsReplyAndActionsWithDecisions() throws Exception {
    Path script = dir.resolve("s.yaml");
    Files.writeString(script, """
        steps:
          - reply:
              tool_calls:
                - name: write_file
                  arguments: { path: notes.txt, content: "hello" }
                - name: read_file
                  arguments: { path: ../../etc/passwd }
          - reply:
              text: "done"
        """);
    Run r = warden("run", "--home", dir.resolve("home").toString(), "--model", "scripted:" + script, "--json", "take a note");
    assertThat(r.code()).as(r.err()).isZero();
    Map<?, ?> o = new ObjectMapper().readValue(r.out(), Map.class);
    assertThat(o.get("reply")).isEqualTo("done");
    List<?> actions = (List<?>) o.get("actions");
    assertThat(actions).hasSize(2);
    Map<?, ?> write = (Map<?, ?>) actions.get(0);
    assertThat(write.get("tool")).isEqualTo("write_file");
    assertThat(write.get("decision")).isEqualTo("allow");
    assertThat(write.get("executed")).isEqualTo(true);
    Map<?, ?> escape = (Map<?, ?>) actions.get(1);
    assertThat(escape.get("decision")).isEqualTo("deny");
    assertThat(escape.get("rule")).isEqualTo("deny-file-outside-workspace");
    assertThat(escape.get("executed")).isEqualTo(false);
    assertThat(dir.resolve("home/workspace/notes.txt")).hasContent("hello");
  }

  @Test
  void auditVerify_exitsZeroWhenIntact_andNonZeroNamingTheRecordAfterTampering() throws Exception {
    String home = dir.resolve("home").toString();
    assertThat(warden("run", "--home", home, "list the files in my workspace").code()).isZero();
    Run ok = warden("audit", "verify", "--home", home);
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).contains("intact");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("home/state.db"));
        Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE audit SET principal = 'owner:0wner' WHERE seq = 2");
    }
    Run bad = warden("audit", "verify", "--home", home);
    assertThat(bad.code()).isEqualTo(ExitCodes.VERIFY_FAILED);
    assertThat(bad.out()).contains("record 2");
  }

  @Test
  void auditTail_showsDecisionsReadably() {
    String home = dir.resolve("home").toString();
    warden("run", "--home", home, "list the files in my workspace");
    Run r = warden("audit", "tail", "--home", home);
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("decision").contains("allow file_list").contains("allow-owner-operator");
  }

  @Test
  void approvalsList_onAFreshHome_saysNothingPending() {
    Run r = warden("approvals", "list", "--home", dir.resolve("home").toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("no pending approvals");
  }

  @Test
  void badConfig_failsWithTheFileAndKey() throws Exception {
    Files.createDirectories(dir.resolve("home"));
    Files.writeString(dir.resolve("home/warden.yaml"), "sandbox: maybe\n");
    Run r = warden("run", "--home", dir.resolve("home").toString(), "hi");
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("warden.yaml").contains("sandbox");
  }
}
