package dev.warden.monitor.snapshot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.kernel.Action;
import dev.warden.kernel.Hashing;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.monitor.snapshot.Attribution;
import dev.warden.monitor.snapshot.ChangeKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditExplainerTest {
  static final Path HOME = Path.of("/srv/warden");
  final List<AuditRecord> records = new ArrayList<>();

  void decision(Action a, String verdict) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("action", a.kind());
    b.put("resource", a.resource());
    b.put("fields", a.auditFields());
    b.put("verdict", verdict);
    records.add(AuditRecord.create(records.size() + 1, Instant.EPOCH, AuditRecord.Type.DECISION, "s", "owner:owner", b,
        AuditRecord.GENESIS));
  }

  AuditExplainer.Explanation explain(String path, ChangeKind kind, String shaOrNull) {
    return new AuditExplainer(HOME, records).explain(path, kind, shaOrNull);
  }

  @Test
  void absolutePathUnderHome_isRelativised() {
    decision(new Action.FileWrite("/srv/warden/workspace/a.md", "x"), "allow");
    assertThat(explain("workspace/a.md", ChangeKind.MODIFIED, Hashing.sha256Hex("x")).attribution())
        .isEqualTo(Attribution.EXPLAINED);
  }

  @Test
  void traversalOrForeignPath_explainsNothing() {
    decision(new Action.FileWrite("../warden.yaml", "x"), "allow");
    decision(new Action.FileWrite("/etc/passwd", "x"), "allow");
    assertThat(explain("warden.yaml", ChangeKind.MODIFIED, Hashing.sha256Hex("x")).attribution())
        .isEqualTo(Attribution.UNEXPLAINED);
  }

  @Test
  void askOrDenyVerdicts_explainNothing() {
    decision(new Action.CronCreate("job", "* * * * *", "p"), "ask");
    decision(new Action.CronCreate("job", "* * * * *", "p"), "deny");
    assertThat(explain("cron:job", ChangeKind.ADDED, "h").attribution()).isEqualTo(Attribution.UNEXPLAINED);
  }

  @Test
  void workspaceRemoval_isAtMostIndirect() {
    decision(new Action.FileWrite("a.md", "x"), "allow");
    assertThat(explain("workspace/a.md", ChangeKind.REMOVED, null).attribution()).isEqualTo(Attribution.UNEXPLAINED);
    decision(new Action.Exec(List.of("rm", "a.md"), "/workspace", false), "allow");
    assertThat(explain("workspace/a.md", ChangeKind.REMOVED, null).attribution()).isEqualTo(Attribution.INDIRECT);
  }

  @Test
  void memoryAppendAfterHashedWrite_keepsItExplained() {
    decision(new Action.FileWrite("MEMORY.md", "a\n"), "allow");
    decision(new Action.MemoryWrite("MEMORY.md", "b"), "allow");
    assertThat(explain("workspace/MEMORY.md", ChangeKind.MODIFIED, Hashing.sha256Hex("a\nb\n")).attribution())
        .isEqualTo(Attribution.EXPLAINED);
  }

  @Test
  void configChange_explainsPoliciesOnlyForPolicyKeys() {
    decision(new Action.ConfigChange("model.name", "gpt-5"), "allow");
    assertThat(explain("policies/x.cedar", ChangeKind.ADDED, "h").attribution()).isEqualTo(Attribution.UNEXPLAINED);
    assertThat(explain("warden.yaml", ChangeKind.MODIFIED, "h").attribution()).isEqualTo(Attribution.EXPLAINED);
    decision(new Action.ConfigChange("policies.add", "x.cedar"), "allow");
    assertThat(explain("policies/x.cedar", ChangeKind.ADDED, "h").attribution()).isEqualTo(Attribution.EXPLAINED);
  }
}
