package dev.warden.monitor.export;

import dev.warden.kernel.AgentKey;
import dev.warden.kernel.audit.AuditLog;
import dev.warden.kernel.audit.InMemoryAuditStore;
import dev.warden.monitor.events.OcsfEvent;
import dev.warden.monitor.events.OcsfMapper;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** OCSF events made from records appended to a real (in-memory) audit log. */
final class ExportFixtures {
  private ExportFixtures() {}

  static List<OcsfEvent> events(int n) throws Exception {
    AuditLog log = new AuditLog(new InMemoryAuditStore(), AgentKey.generate(), InstantSource.system(), null);
    List<OcsfEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(OcsfMapper.fromAudit(log.append("decision", "s" + (i % 3), "owner:owner", Map.of(
          "action", "egress", "resource", "api.test", "fields", Map.of("method", "POST", "url", "https://api.test/" + i,
              "host", "api.test", "port", 443),
          "verdict", i % 2 == 0 ? "allow" : "deny", "rule", "rule-" + i, "reason", "r \"quoted\" ]", "sources", List.of(),
          "label", "untrusted/public[web:x.test]", "facts", Map.of()))));
    }
    return out;
  }
}
