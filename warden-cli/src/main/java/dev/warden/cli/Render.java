package dev.warden.cli;

import dev.warden.agent.ActionReport;
import dev.warden.kernel.ApprovalRequest;
import dev.warden.kernel.audit.AuditRecord;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Readable one-line forms for the terminal. */
final class Render {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private Render() {}

  static String action(ActionReport r) {
    String mark = switch (r.decision()) {
      case "allow" -> r.executed() ? "✓ allow" : "✗ failed";
      case "deny" -> "✗ deny ";
      case "ask" -> "? ask  ";
      default -> "! " + r.decision();
    };
    StringBuilder sb = new StringBuilder();
    sb.append(mark).append("  ").append(r.tool()).append(' ').append(args(r.arguments()));
    sb.append("\n         rule ").append(r.rule()).append(": ").append(r.reason());
    if (!r.sources().isEmpty()) {
      sb.append("\n         sources ").append(r.sources());
    }
    if (r.approvalIdOrNull() != null) {
      sb.append("\n         approve with: warden approvals grant ").append(r.approvalIdOrNull());
    }
    return sb.toString();
  }

  static String args(Map<String, Object> args) {
    String s = args.toString();
    return s.length() > 160 ? s.substring(0, 160) + "…}" : s;
  }

  static String approval(ApprovalRequest a) {
    return a.id() + "  " + a.status().name().toLowerCase() + "  " + a.description()
        + "\n    why: " + a.reason() + "\n    rule " + a.rule() + " · session " + a.sessionId() + " · expires "
        + TIME.format(a.expires()) + (a.diffOrNull() == null ? "" : "\n" + indent(a.diffOrNull()));
  }

  static String audit(AuditRecord r) {
    Map<String, Object> b = r.body();
    String what = switch (r.type()) {
      case AuditRecord.Type.DECISION -> b.get("verdict") + " " + b.get("action") + " " + b.get("resource") + " — " + b.get("rule")
          + ": " + b.get("reason");
      case AuditRecord.Type.OUTCOME -> b.get("status") + " " + b.get("action") + " " + b.get("resource")
          + (b.containsKey("error") ? " — " + b.get("error") : "");
      case AuditRecord.Type.EVENT -> b.get("category") + "/" + b.get("name") + " " + rest(b);
      case AuditRecord.Type.CHECKPOINT -> "checkpoint over record " + b.get("covers_seq") + " signed by key " + b.get("key_id");
      default -> b.toString();
    };
    return String.format("%6d %s %-10s %-22s %s", r.seq(), TIME.format(r.time()), r.type(),
        r.sessionOrNull() == null ? "-" : r.sessionOrNull(), what);
  }

  private static String rest(Map<String, Object> b) {
    Map<String, Object> m = new java.util.LinkedHashMap<>(b);
    m.remove("category");
    m.remove("name");
    return m.isEmpty() ? "" : m.toString();
  }

  private static String indent(String s) {
    return "      " + s.strip().replace("\n", "\n      ");
  }
}
