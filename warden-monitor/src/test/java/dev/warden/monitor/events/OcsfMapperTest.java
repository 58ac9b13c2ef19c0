package dev.warden.monitor.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.kernel.AgentKey;
import dev.warden.kernel.audit.AuditLog;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.kernel.audit.InMemoryAuditStore;
import dev.warden.monitor.internal.MonitorJson;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Audit records (appended through a real AuditLog) to OCSF classes and fields. */
class OcsfMapperTest {
  AuditLog log;

  @BeforeEach
  void setUp() throws Exception {
    log = new AuditLog(new InMemoryAuditStore(), AgentKey.generate(), InstantSource.system(), null);
  }

  AuditRecord decision(String action, String resource, Map<String, Object> fields, String verdict, String label)
      throws Exception {
    return log.append("decision", "s1", "owner:owner", Map.of("action", action, "resource", resource, "fields", fields,
        "verdict", verdict, "rule", "r1", "reason", "because", "sources", List.of(), "label", label, "facts", Map.of()));
  }

  @ParameterizedTest
  @CsvSource({
      "exec, bash, 1007, 1",
      "skill_run, weather, 1007, 1",
      "file_read, a.txt, 1001, 2",
      "file_write, a.txt, 1001, 3",
      "memory_write, MEMORY.md, 1001, 1",
      "cron_create, digest, 1006, 1",
      "cron_delete, digest, 1006, 3",
      "credential_use, gh, 3003, 1",
      "config_change, sandbox.mode, 6003, 3",
      "message_send, telegram:bob, 6003, 99",
      "skill_install, weather, 6003, 1"})
  void actionDecision_mapsToItsOcsfClass(String action, String resource, int classUid, int activity) throws Exception {
    OcsfEvent e = OcsfMapper.fromAudit(decision(action, resource, Map.of(), "allow", "trusted/private[owner]"));
    assertThat(e.ocsfClass().uid).isEqualTo(classUid);
    assertThat(e.activityId()).isEqualTo(activity);
    assertThat(e.ocsf()).containsEntry("class_uid", classUid).containsEntry("type_uid", classUid * 100L + activity)
        .containsEntry("disposition", "Allowed");
  }

  @Test
  void egress_isHttpActivityWithEndpointAndUrl_connectIsNetworkActivity() throws Exception {
    OcsfEvent e = OcsfMapper.fromAudit(decision("egress", "api.test", Map.of("method", "POST", "url", "https://api.test/x",
        "host", "api.test", "port", 443), "deny", "untrusted/public[web:evil.test]"));
    assertThat(e.ocsfClass()).isEqualTo(OcsfClass.HTTP_ACTIVITY);
    assertThat(e.activityId()).isEqualTo(6);
    assertThat(e.hostOrNull()).isEqualTo("api.test");
    assertThat(e.tainted()).isTrue();
    assertThat(e.severityId()).isEqualTo(OcsfMapper.SEVERITY_MEDIUM);
    assertThat(MonitorJson.at(e.ocsf(), "dst_endpoint.hostname")).isEqualTo("api.test");
    assertThat(MonitorJson.at(e.ocsf(), "http_request.url.url_string")).isEqualTo("https://api.test/x");
    assertThat(e.ocsf()).containsEntry("disposition", "Blocked");
    OcsfEvent c = OcsfMapper.fromAudit(decision("egress", "h", Map.of("method", "CONNECT", "host", "h"), "allow", "x"));
    assertThat(c.ocsfClass()).isEqualTo(OcsfClass.NETWORK_ACTIVITY);
  }

  @Test
  void exec_carriesTheCommandLine() throws Exception {
    OcsfEvent e = OcsfMapper.fromAudit(decision("exec", "bash", Map.of("argv", List.of("bash", "-c", "id"), "cwd", "/w"),
        "ask", "trusted/private[owner]"));
    assertThat(MonitorJson.at(e.ocsf(), "process.cmd_line")).isEqualTo("bash -c id");
    assertThat(e.ocsf()).containsEntry("disposition", "Delayed");
  }

  @Test
  void fileWrite_instructionAndMemoryTargets_fromFactsOrName() throws Exception {
    assertThat(OcsfMapper.fromAudit(decision("file_write", "AGENTS.md", Map.of("path", "AGENTS.md"), "allow", "x"))
        .targetKindOrNull()).isEqualTo("instruction");
    assertThat(OcsfMapper.fromAudit(decision("file_write", "memory/2026-11-01.md", Map.of("path", "memory/2026-11-01.md"),
        "allow", "x")).targetKindOrNull()).isEqualTo("memory");
    assertThat(OcsfMapper.fromAudit(decision("file_write", "notes.txt", Map.of("path", "notes.txt"), "allow", "x"))
        .targetKindOrNull()).isNull();
    AuditRecord withFacts = log.append("decision", "s", "owner:owner", Map.of("action", "file_write", "resource", "CUSTOM.md",
        "fields", Map.of("path", "CUSTOM.md"), "verdict", "allow", "rule", "r", "label", "x",
        "facts", Map.of("instruction_file", true)));
    assertThat(OcsfMapper.fromAudit(withFacts).targetKindOrNull()).isEqualTo("instruction");
  }

  @Test
  void outcome_mapsStatus() throws Exception {
    AuditRecord r = log.append("outcome", "s", "owner:owner", Map.of("action", "exec", "resource", "ls", "status", "failed",
        "error", "boom"));
    OcsfEvent e = OcsfMapper.fromAudit(r);
    assertThat(e.ocsf()).containsEntry("status", "Failure").containsEntry("status_detail", "boom");
    assertThat(e.verdictOrNull()).isNull();
  }

  @Test
  void events_mapByCategoryAndName() throws Exception {
    OcsfEvent login = OcsfMapper.fromAudit(log.append("event", null, "system:warden",
        Map.of("category", "gateway", "name", "login_failed", "remote", "10.0.0.9")));
    assertThat(login.ocsfClass()).isEqualTo(OcsfClass.AUTHENTICATION);
    assertThat(login.ocsf()).containsEntry("status", "Failure");
    OcsfEvent cred = OcsfMapper.fromAudit(log.append("event", "s", "system:warden",
        Map.of("category", "credential", "name", "use", "credential", "gh", "host", "api.github.com", "scope_used", "repo")));
    assertThat(cred.ocsfClass()).isEqualTo(OcsfClass.AUTHORIZE_SESSION);
    assertThat(cred.credentialOrNull()).isEqualTo("gh");
    assertThat(cred.hostOrNull()).isEqualTo("api.github.com");
    assertThat(cred.ocsf().get("privileges")).isEqualTo(List.of("repo"));
    OcsfEvent q = OcsfMapper.fromAudit(log.append("event", null, "system:warden",
        Map.of("category", "containment", "name", "quarantine", "reason", "x")));
    assertThat(q.severityId()).isEqualTo(OcsfMapper.SEVERITY_HIGH);
    OcsfEvent scan = OcsfMapper.fromAudit(log.append("event", null, "system:warden",
        Map.of("category", "hostscan", "name", "runtime_found")));
    assertThat(scan.ocsfClass()).isEqualTo(OcsfClass.DEVICE_INVENTORY_INFO);
  }

  @Test
  void checkpoint_isEventLogActivity_keepingTheChainLink() throws Exception {
    log.append("event", null, "system:warden", Map.of("category", "gateway", "name", "start"));
    log.checkpoint();
    AuditRecord cp = log.store().tail(1).getFirst();
    OcsfEvent e = OcsfMapper.fromAudit(cp);
    assertThat(e.ocsfClass()).isEqualTo(OcsfClass.EVENT_LOG_ACTIVITY);
    assertThat(MonitorJson.at(e.ocsf(), "unmapped.warden.hash")).isEqualTo(cp.hash());
    assertThat(MonitorJson.at(e.ocsf(), "unmapped.warden.body.covers_seq")).isEqualTo(1L);
  }

  @Test
  void mapping_isDeterministic() throws Exception {
    AuditRecord r = decision("exec", "ls", Map.of("argv", List.of("ls")), "allow", "x");
    assertThat(OcsfMapper.fromAudit(r).json()).isEqualTo(OcsfMapper.fromAudit(r).json());
  }
}
