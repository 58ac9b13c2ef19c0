package dev.warden.monitor.snapshot;

import dev.warden.monitor.snapshot.internal.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The printing half of {@code warden snapshot create|list|diff|restore}, so the CLI only parses
 * arguments and opens the store. Each method returns the process exit code: 0 success, 1 a finding
 * (a diff with UNEXPLAINED changes, a snapshot failing verification), 2 an error (message printed).
 * The caller appends the audit event for create and restore.
 */
public final class SnapshotCommands {
  private SnapshotCommands() {}

  public static int create(SnapshotStore store, String reason, PrintStream out, boolean json) {
    try {
      SnapshotManifest m = store.create(reason);
      if (json) {
        out.println(Json.pretty(summary(m)));
      } else {
        out.println("snapshot " + m.id() + " taken: " + m.entries().size() + " entries, signed by key " + m.keyId());
      }
      return 0;
    } catch (SnapshotException e) {
      out.println("snapshot create failed: " + e.getMessage());
      return 2;
    }
  }

  /** Lists every snapshot with its verification (signature and blobs). */
  public static int list(SnapshotStore store, PrintStream out, boolean json) {
    try {
      List<Object> rows = new ArrayList<>();
      boolean anyBad = false;
      for (SnapshotId id : store.ids()) {
        String problem = null;
        SnapshotManifest m = null;
        try {
          m = store.verify(id);
        } catch (SnapshotException e) {
          problem = e.getMessage();
          anyBad = true;
        }
        if (json) {
          Map<String, Object> row = m == null ? new LinkedHashMap<>(Map.of("id", id.value())) : summary(m);
          row.put("verified", problem == null);
          if (problem != null) {
            row.put("problem", problem);
          }
          rows.add(row);
        } else if (m != null) {
          out.println(m.id() + "  " + m.time() + "  " + m.entries().size() + " entries  audit#" + m.auditSeq() + "  "
              + m.reason());
        } else {
          out.println(id + "  FAILED VERIFICATION: " + problem);
        }
      }
      if (json) {
        out.println(Json.pretty(rows));
      } else if (rows.isEmpty() && store.ids().isEmpty()) {
        out.println("no snapshots yet: `warden snapshot create`");
      }
      return anyBad ? 1 : 0;
    } catch (SnapshotException e) {
      out.println("snapshot list failed: " + e.getMessage());
      return 2;
    }
  }

  /** {@code warden snapshot diff A [B]}: B absent means the live state. */
  public static int diff(SnapshotStore store, SnapshotId a, SnapshotId bOrNull, PrintStream out, boolean json) {
    try {
      SnapshotDiff d = bOrNull == null ? store.diffSince(a) : store.diff(a, bOrNull);
      if (json) {
        out.println(Json.pretty(toMap(d)));
      } else {
        out.print(d.render(true));
      }
      return d.unexplained().isEmpty() ? 0 : 1;
    } catch (SnapshotException e) {
      out.println("snapshot diff failed: " + e.getMessage());
      return 2;
    }
  }

  public static int restore(SnapshotStore store, SnapshotId id, PrintStream out, boolean json) {
    try {
      RestoreResult r = store.restore(id);
      if (json) {
        out.println(Json.pretty(toMap(r)));
      } else {
        out.println("restored " + r.restored() + ": " + r.written().size() + " file(s) written, " + r.deleted().size()
            + " removed, " + r.cronRestored().size() + " cron job(s) restored, " + r.cronDeleted().size() + " removed");
        for (String w : r.written()) {
          out.println("  wrote   " + w);
        }
        for (String d : r.deleted()) {
          out.println("  removed " + d);
        }
        for (String c : r.cronDeleted()) {
          out.println("  removed cron job " + c);
        }
        for (String n : r.notes()) {
          out.println("  note: " + n);
        }
        out.println("undo with `warden snapshot restore " + r.safetySnapshot() + "`");
      }
      return 0;
    } catch (SnapshotException e) {
      out.println("snapshot restore failed: " + e.getMessage());
      return 2;
    }
  }

  public static Map<String, Object> toMap(SnapshotDiff d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", d.from().value());
    m.put("to", d.toOrNull() == null ? "live" : d.toOrNull().value());
    m.put("audit_from_seq", d.auditFromSeq());
    m.put("audit_to_seq", d.auditToSeq());
    List<Object> changes = new ArrayList<>();
    for (FileChange c : d.changes()) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("path", c.path());
      cm.put("kind", c.kind().name().toLowerCase(java.util.Locale.ROOT));
      cm.put("attribution", c.attribution().name().toLowerCase(java.util.Locale.ROOT));
      cm.put("detail", c.detail());
      List<Object> refs = new ArrayList<>();
      for (AuditRef r : c.explainedBy()) {
        Map<String, Object> rm = new LinkedHashMap<>();
        rm.put("seq", r.seq());
        rm.put("time", r.time().toString());
        rm.put("type", r.type());
        rm.put("action", r.action());
        rm.put("resource", r.resource());
        rm.put("result", r.result());
        rm.put("session", r.sessionOrNull());
        refs.add(rm);
      }
      cm.put("audit", refs);
      cm.put("diff", c.textDiffOrNull());
      changes.add(cm);
    }
    m.put("changes", changes);
    m.put("unexplained", d.unexplained().size());
    return m;
  }

  public static Map<String, Object> toMap(RestoreResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("restored", r.restored().value());
    m.put("safety_snapshot", r.safetySnapshot().value());
    m.put("written", r.written());
    m.put("deleted", r.deleted());
    m.put("cron_restored", r.cronRestored());
    m.put("cron_deleted", r.cronDeleted());
    m.put("notes", r.notes());
    return m;
  }

  private static Map<String, Object> summary(SnapshotManifest m) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("id", m.id().value());
    s.put("time", m.time().toString());
    s.put("reason", m.reason());
    s.put("key_id", m.keyId());
    s.put("audit_seq", m.auditSeq());
    s.put("entries", m.entries().size());
    return s;
  }
}
