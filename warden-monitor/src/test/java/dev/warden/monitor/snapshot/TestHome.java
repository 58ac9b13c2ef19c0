package dev.warden.monitor.snapshot;

import dev.warden.kernel.Action;
import dev.warden.kernel.AgentKey;
import dev.warden.kernel.Label;
import dev.warden.kernel.WardenHome;
import dev.warden.kernel.audit.AuditLog;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.store.CronStore;
import dev.warden.store.SqliteAuditStore;
import dev.warden.store.StateDb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real WARDEN_HOME in a temp dir: state.db, agent key, an audit log fed with the same record
 * bodies the kernel writes (decision: action, resource, fields, verdict…; outcome: status), and a
 * workspace laid out like OpenClaw's.
 */
public final class TestHome implements AutoCloseable {
  public final WardenHome home;
  public final AgentKey key;
  public final StateDb db;
  public final AuditLog audit;
  public final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T03:00:00Z"));

  public TestHome(Path root) throws Exception {
    home = new WardenHome(root);
    key = AgentKey.loadOrCreate(home.keys());
    db = StateDb.open(home.stateDb());
    audit = new AuditLog(new SqliteAuditStore(db), key, clock, home.auditHead());
    write("warden.yaml", "model:\n  provider: openai\n  name: gpt-5\nsandbox:\n  mode: strict\n");
    write("skills.lock", "{\"skills\":{}}\n");
    write("policies/local.cedar", "forbid(principal, action, resource) when { context.quarantined };\n");
    write("workspace/AGENTS.md", "# Agents\nBe careful.\n");
    write("workspace/SOUL.md", "I am helpful.\n");
    write("workspace/MEMORY.md", "- the owner likes tea\n");
    write("workspace/memory/2026-11-25.md", "met the owner\n");
    write("vault/secrets.wdv", "SEALED-BYTES-NOT-A-SECRET");
  }

  public Path write(String rel, String text) throws IOException {
    Path p = home.root().resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  public String read(String rel) throws IOException {
    return Files.readString(home.root().resolve(rel));
  }

  /** What the kernel records for an allowed action followed by its execution; returns the decision's seq. */
  public long audited(Action a) throws Exception {
    clock.advanceSeconds(1);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", a.kind());
    body.put("resource", a.resource());
    body.put("fields", a.auditFields());
    body.put("verdict", "allow");
    body.put("rule", "allow-owner");
    body.put("reason", "the owner asked");
    body.put("sources", List.of());
    body.put("label", "trusted/public[]");
    AuditRecord d = audit.append(AuditRecord.Type.DECISION, "sess-1", "owner:owner", body);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("action", a.kind());
    out.put("resource", a.resource());
    out.put("status", "executed");
    audit.append(AuditRecord.Type.OUTCOME, "sess-1", "owner:owner", out);
    return d.seq();
  }

  /** A write done the way the kernel's executor does it: audited, then written. */
  public long kernelWrite(String workspaceRel, String content) throws Exception {
    long seq = audited(new Action.FileWrite(workspaceRel, content));
    write("workspace/" + workspaceRel, content);
    return seq;
  }

  public long denied(Action a) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", a.kind());
    body.put("resource", a.resource());
    body.put("fields", a.auditFields());
    body.put("verdict", "deny");
    body.put("rule", "deny-tainted");
    body.put("reason", "tainted");
    return audit.append(AuditRecord.Type.DECISION, "sess-2", "contact:x", body).seq();
  }

  public void cron(String name, String schedule) {
    new CronStore(db).put(new CronStore.Job(name, schedule, "check mail", Label.owner(), "owner:owner",
        clock.instant(), true, null, null));
  }

  public SnapshotStore store() {
    return new SnapshotStore(home, key, db, CredentialCatalog.VAULT_FILE_NAMES, clock);
  }

  @Override
  public void close() throws Exception {
    audit.close();
    db.close();
  }

  /** A settable clock (time is injected so snapshot ids and retention are deterministic). */
  public static final class MutableClock implements InstantSource {
    private Instant now;

    public MutableClock(Instant start) {
      now = start;
    }

    @Override
    public Instant instant() {
      return now;
    }

    public void advanceSeconds(long s) {
      now = now.plusSeconds(s);
    }

    public void set(Instant t) {
      now = t;
    }
  }
}
