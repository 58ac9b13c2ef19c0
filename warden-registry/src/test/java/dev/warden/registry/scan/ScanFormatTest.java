package dev.warden.registry.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanFormatTest {
  static final List<ScanReport> REPORTS = List.of(
      ScanReport.of("evil \"one\"", Path.of("/tmp/skills/evil"), List.of(
          new Finding("WS102", Severity.CRITICAL, "SKILL.md", 12, "decoded text is piped into a shell: 'echo x\\n | base64 -d | sh'"),
          new Finding("WS604", Severity.INFO, "", 0, "scripts without manifest"))),
      ScanReport.of("fine", Path.of("/tmp/skills/fine"), List.of()));

  private static String render(ScanFormat f) {
    StringBuilder b = new StringBuilder();
    f.write(REPORTS, b);
    return b.toString();
  }

  @Test
  void json_wellFormedWithSummaryAndFindings() throws Exception {
    JsonNode n = new ObjectMapper().readTree(render(ScanFormat.JSON));
    assertThat(n.get("summary").get("malicious").asInt()).isEqualTo(1);
    assertThat(n.get("summary").get("clean").asInt()).isEqualTo(1);
    JsonNode s = n.get("skills").get(0);
    assertThat(s.get("skill").asText()).isEqualTo("evil \"one\"");
    assertThat(s.get("verdict").asText()).isEqualTo("malicious");
    assertThat(s.get("findings").get(0).get("code").asText()).isEqualTo("WS102");
    assertThat(s.get("findings").get(0).get("line").asInt()).isEqualTo(12);
    assertThat(s.get("findings").get(0).get("rule").asText()).isEqualTo("decode-to-shell");
  }

  @Test
  void sarif_validShape() throws Exception {
    JsonNode n = new ObjectMapper().readTree(render(ScanFormat.SARIF));
    assertThat(n.get("version").asText()).isEqualTo("2.1.0");
    assertThat(n.get("$schema").asText()).contains("sarif-schema-2.1.0");
    JsonNode run = n.get("runs").get(0);
    JsonNode rules = run.get("tool").get("driver").get("rules");
    assertThat(rules.size()).isEqualTo(Rule.values().length);
    JsonNode results = run.get("results");
    assertThat(results.size()).isEqualTo(2);
    JsonNode r0 = results.get(0);
    assertThat(r0.get("ruleId").asText()).isEqualTo("WS102");
    assertThat(rules.get(r0.get("ruleIndex").asInt()).get("id").asText()).isEqualTo("WS102");
    assertThat(r0.get("level").asText()).isEqualTo("error");
    JsonNode loc = r0.get("locations").get(0).get("physicalLocation");
    assertThat(loc.get("artifactLocation").get("uri").asText()).startsWith("file:").endsWith("/tmp/skills/evil/SKILL.md");
    assertThat(loc.get("region").get("startLine").asInt()).isEqualTo(12);
    assertThat(results.get(1).get("locations").get(0).get("physicalLocation").has("region")).isFalse();
    assertThat(results.get(1).get("level").asText()).isEqualTo("note");
    for (JsonNode rule : rules) {
      assertThat(rule.get("properties").get("security-severity").asText()).matches("\\d+\\.\\d");
    }
  }

  @Test
  void text_listsFlaggedSkillsAndSummary() {
    String t = render(ScanFormat.TEXT);
    assertThat(t).contains("MALICIOUS  evil \"one\"").contains("SKILL.md:12: WS102 critical decode-to-shell")
        .contains("2 skills scanned: 1 clean, 0 suspicious, 1 malicious").doesNotContain("fine");
  }
}
