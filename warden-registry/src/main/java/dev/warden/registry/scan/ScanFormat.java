package dev.warden.registry.scan;

import dev.warden.registry.scan.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Output formats for scan reports: human text, JSON (one object with a {@code skills} array), and
 * SARIF 2.1.0 (one run; one result per finding; rules carry a {@code security-severity} so code
 * hosts rank them).
 */
public enum ScanFormat {
  TEXT,
  JSON,
  SARIF;

  /** Version written into SARIF and JSON output. */
  public static final String TOOL_VERSION = "0.1.0";
  public static final String TOOL_NAME = "warden-skill-scanner";
  private static final String SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

  /** Writes {@code reports} to {@code out} in this format. */
  public void write(List<ScanReport> reports, Appendable out) {
    try {
      switch (this) {
        case TEXT -> text(reports, out);
        case JSON -> json(reports, out);
        case SARIF -> sarif(reports, out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write scan report", e);
    }
  }

  /** Counts per verdict. */
  public static Map<Verdict, Integer> counts(List<ScanReport> reports) {
    Map<Verdict, Integer> c = new EnumMap<>(Verdict.class);
    for (Verdict v : Verdict.values()) {
      c.put(v, 0);
    }
    reports.forEach(r -> c.merge(r.verdict(), 1, Integer::sum));
    return c;
  }

  private static void text(List<ScanReport> reports, Appendable out) throws IOException {
    for (ScanReport r : reports) {
      if (r.verdict() == Verdict.CLEAN && r.significant().isEmpty()) {
        continue;
      }
      out.append(r.verdict().name()).append("  ").append(r.skill()).append("  (").append(r.dir().toString()).append(")\n");
      for (Finding f : r.findings()) {
        if (f.severity().compareTo(Severity.LOW) >= 0) {
          out.append("  ").append(f.toString()).append('\n');
        }
      }
    }
    Map<Verdict, Integer> c = counts(reports);
    out.append(String.format("%d skills scanned: %d clean, %d suspicious, %d malicious%n", reports.size(),
        c.get(Verdict.CLEAN), c.get(Verdict.SUSPICIOUS), c.get(Verdict.MALICIOUS)));
  }

  private static void json(List<ScanReport> reports, Appendable out) throws IOException {
    Map<Verdict, Integer> c = counts(reports);
    out.append("{\"tool\":").append(Json.str(TOOL_NAME)).append(",\"version\":").append(Json.str(TOOL_VERSION))
        .append(",\"summary\":{\"skills\":").append(String.valueOf(reports.size()))
        .append(",\"clean\":").append(String.valueOf(c.get(Verdict.CLEAN)))
        .append(",\"suspicious\":").append(String.valueOf(c.get(Verdict.SUSPICIOUS)))
        .append(",\"malicious\":").append(String.valueOf(c.get(Verdict.MALICIOUS))).append("},\"skills\":[");
    for (int i = 0; i < reports.size(); i++) {
      ScanReport r = reports.get(i);
      out.append(i == 0 ? "\n" : ",\n").append("{\"skill\":").append(Json.str(r.skill()))
          .append(",\"dir\":").append(Json.str(r.dir().toString()))
          .append(",\"verdict\":").append(Json.str(r.verdict().name().toLowerCase())).append(",\"findings\":[");
      for (int j = 0; j < r.findings().size(); j++) {
        Finding f = r.findings().get(j);
        Rule rule = Rule.byCodeOrNull(f.code());
        out.append(j == 0 ? "" : ",").append("{\"code\":").append(Json.str(f.code()))
            .append(",\"rule\":").append(Json.str(rule == null ? "" : rule.slug()))
            .append(",\"severity\":").append(Json.str(f.severity().name().toLowerCase()))
            .append(",\"file\":").append(Json.str(f.file()))
            .append(",\"line\":").append(String.valueOf(f.line()))
            .append(",\"message\":").append(Json.str(f.message())).append('}');
      }
      out.append("]}");
    }
    out.append("\n]}\n");
  }

  private static String securitySeverity(Severity s) {
    return switch (s) {
      case CRITICAL -> "9.5";
      case HIGH -> "8.0";
      case MEDIUM -> "5.5";
      case LOW -> "3.0";
      case INFO -> "1.0";
    };
  }

  private static void sarif(List<ScanReport> reports, Appendable out) throws IOException {
    List<Rule> rules = Arrays.asList(Rule.values());
    out.append("{\"$schema\":").append(Json.str(SARIF_SCHEMA)).append(",\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{")
        .append("\"name\":").append(Json.str(TOOL_NAME)).append(",\"version\":").append(Json.str(TOOL_VERSION))
        .append(",\"rules\":[");
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      out.append(i == 0 ? "\n" : ",\n").append("{\"id\":").append(Json.str(r.code()))
          .append(",\"name\":").append(Json.str(r.slug()))
          .append(",\"shortDescription\":{\"text\":").append(Json.str(r.summary())).append('}')
          .append(",\"defaultConfiguration\":{\"level\":").append(Json.str(r.severity().sarifLevel())).append('}')
          .append(",\"properties\":{\"security-severity\":").append(Json.str(securitySeverity(r.severity())))
          .append(",\"tags\":[\"security\"]}}");
    }
    out.append("]}},\"results\":[");
    boolean first = true;
    for (ScanReport rep : reports) {
      for (Finding f : rep.findings()) {
        Rule r = Rule.byCodeOrNull(f.code());
        out.append(first ? "\n" : ",\n").append("{\"ruleId\":").append(Json.str(f.code()));
        first = false;
        if (r != null) {
          out.append(",\"ruleIndex\":").append(String.valueOf(r.ordinal()));
        }
        String uri = (f.file().isEmpty() ? rep.dir() : rep.dir().resolve(f.file())).toUri().toString();
        out.append(",\"level\":").append(Json.str(f.severity().sarifLevel()))
            .append(",\"message\":{\"text\":").append(Json.str(f.message())).append('}')
            .append(",\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":").append(Json.str(uri)).append('}');
        if (f.line() > 0) {
          out.append(",\"region\":{\"startLine\":").append(String.valueOf(f.line())).append('}');
        }
        out.append("}}],\"properties\":{\"skill\":").append(Json.str(rep.skill()))
            .append(",\"verdict\":").append(Json.str(rep.verdict().name().toLowerCase()))
            .append(",\"severity\":").append(Json.str(f.severity().name().toLowerCase())).append("}}");
      }
    }
    out.append("\n]}]}\n");
  }
}
