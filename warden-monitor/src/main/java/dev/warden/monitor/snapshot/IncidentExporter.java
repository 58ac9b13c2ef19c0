package dev.warden.monitor.snapshot;

import dev.warden.kernel.AgentKey;
import dev.warden.kernel.WardenHome;
import dev.warden.kernel.audit.AuditException;
import dev.warden.kernel.audit.AuditHead;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.kernel.audit.AuditVerifier;
import dev.warden.monitor.snapshot.internal.Json;
import dev.warden.store.SqliteAuditStore;
import dev.warden.store.StateDb;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code warden incident export FILE}: one zip for the responder.
 *
 * <pre>
 * README.md                 what is inside, the audit verification verdict
 * timeline.md               readable timeline from the audit log: time, session, action, verdict, reason
 * audit/audit.jsonl         every audit record as stored (seq, time, type, session, principal, body, prev, hash)
 * audit/verification.json   {@link AuditVerifier#verify} on the log with the agent's public key and signed head
 * audit/audit.head          the signed head file
 * keys/agent-ed25519.pub    the public key (to re-verify elsewhere; the private key is never included)
 * snapshots/ID.json, .sig   every snapshot manifest and its signature
 * snapshots/index.json      each snapshot's verification result (signature and blobs)
 * diffs/A__B.txt            the diff between each pair of consecutive verified snapshots, with attributions
 * alerts/alerts.jsonl       the rows of the {@code alerts} table of events.db, when it exists
 * </pre>
 *
 * <p>The zip is written to a temp file beside {@code zipFile} and renamed into place (mode 0600): it
 * holds workspace text in the diffs. It never holds vault contents, private keys or state.db.
 */
public final class IncidentExporter {

  /** Rows of timeline.md at most (the full log is in audit.jsonl). */
  public static final int MAX_TIMELINE_ROWS = 50_000;
  /** Consecutive-snapshot diffs included at most (the newest). */
  public static final int MAX_DIFFS = 50;
  /** Alert rows included at most. */
  public static final int MAX_ALERTS = 100_000;

  /** What went into the bundle. */
  public record Summary(Path zipFile, long auditRecords, AuditVerifier.Result verification, int snapshots,
      int snapshotsFailingVerification, int diffs, int alerts, List<String> entries) {
    public Summary {
      entries = List.copyOf(entries);
    }
  }

  private IncidentExporter() {}

  public static Summary export(WardenHome home, Path zipFile, String reason) throws IOException {
    return export(home, zipFile, reason, InstantSource.system());
  }

  public static Summary export(WardenHome home, Path zipFile, String reason, InstantSource clock) throws IOException {
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(zipFile, "zipFile");
    Objects.requireNonNull(reason, "reason");
    if (!Files.exists(home.stateDb())) {
      throw new IOException("no state.db in " + home.root() + "; is this a Warden home? (set --home or WARDEN_HOME)");
    }
    PublicKey key = AgentKey.loadPublic(home.keys());
    Path abs = zipFile.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    List<String> entries = new ArrayList<>();
    long[] records = {0};
    int diffs = 0;
    int alerts = 0;
    int failing = 0;
    List<SnapshotId> ids;
    AuditVerifier.Result verification;
    try (StateDb db = StateDb.open(home.stateDb());
        OutputStream os = Files.newOutputStream(tmp);
        ZipOutputStream zip = new ZipOutputStream(os, StandardCharsets.UTF_8)) {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      SqliteAuditStore audit = new SqliteAuditStore(db);
      AuditHead head = AuditHead.readOrNull(home.auditHead());
      verification = AuditVerifier.verify(audit, key, head);

      // Audit log, streamed.
      entry(zip, entries, "audit/audit.jsonl");
      StringBuilder timeline = new StringBuilder("# Timeline\n\nFrom the audit log of `" + home.root() + "`. "
          + "Times are UTC. The complete log is `audit/audit.jsonl`.\n\n"
          + "| time | seq | session | principal | type | action | resource | verdict | reason |\n"
          + "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
      int[] rows = {0};
      try {
        audit.forEach(r -> {
          records[0]++;
          try {
            zip.write((Json.compact(recordMap(r)) + "\n").getBytes(StandardCharsets.UTF_8));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          if (rows[0] < MAX_TIMELINE_ROWS) {
            timeline.append(timelineRow(r));
            rows[0]++;
          }
        });
      } catch (AuditException e) {
        throw new IOException("cannot read the audit log: " + e.getMessage(), e);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      zip.closeEntry();
      if (records[0] > MAX_TIMELINE_ROWS) {
        timeline.append("\n(timeline truncated at ").append(MAX_TIMELINE_ROWS).append(" of ").append(records[0])
            .append(" records)\n");
      }
      Map<String, Object> vm = new LinkedHashMap<>();
      vm.put("ok", verification.ok());
      vm.put("records", verification.records());
      vm.put("checkpoints", verification.checkpoints());
      vm.put("first_bad_seq", verification.firstBadSeq());
      vm.put("problem", verification.problem());
      vm.put("summary", verification.summary());
      vm.put("key_id", AgentKey.keyId(key));
      put(zip, entries, "audit/verification.json", Json.pretty(vm) + "\n");
      // The signed head lives in state.db (same transaction as each record); older homes kept a file.
      AuditHead signed;
      try {
        signed = audit.head().orElse(head);
      } catch (dev.warden.kernel.audit.AuditException e) {
        signed = head;
      }
      if (signed != null) {
        put(zip, entries, "audit/audit.head", "seq=" + signed.seq() + "\nhash=" + signed.hash() + "\nkey=" + signed.keyId()
            + "\nsignature=" + java.util.Base64.getEncoder().encodeToString(signed.signature()) + "\n");
      }
      copyIfExists(zip, entries, home.keys().resolve(AgentKey.PUBLIC_FILE), "keys/" + AgentKey.PUBLIC_FILE);
      put(zip, entries, "timeline.md", timeline.toString());

      // Snapshots and diffs.
      SnapshotStore store = SnapshotStore.readOnly(home, key, db);
      ids = store.ids();
      List<Object> index = new ArrayList<>();
      List<SnapshotManifest> verified = new ArrayList<>();
      for (SnapshotId id : ids) {
        Path dir = home.snapshots().resolve("manifests");
        copyIfExists(zip, entries, dir.resolve(id.value() + ".json"), "snapshots/" + id.value() + ".json");
        copyIfExists(zip, entries, dir.resolve(id.value() + ".sig"), "snapshots/" + id.value() + ".sig");
        Map<String, Object> im = new LinkedHashMap<>();
        im.put("id", id.value());
        try {
          SnapshotManifest m = store.verify(id);
          verified.add(m);
          im.put("verified", true);
          im.put("time", m.time().toString());
          im.put("reason", m.reason());
          im.put("audit_seq", m.auditSeq());
        } catch (SnapshotException e) {
          failing++;
          im.put("verified", false);
          im.put("problem", e.getMessage());
        }
        index.add(im);
      }
      put(zip, entries, "snapshots/index.json", Json.pretty(index) + "\n");
      verified.sort((a, b) -> a.time().equals(b.time()) ? a.id().compareTo(b.id()) : a.time().compareTo(b.time()));
      int start = Math.max(1, verified.size() - MAX_DIFFS);
      for (int i = start; i < verified.size(); i++) {
        SnapshotManifest a = verified.get(i - 1);
        SnapshotManifest b = verified.get(i);
        try {
          put(zip, entries, "diffs/" + a.id() + "__" + b.id() + ".txt", store.diff(a.id(), b.id()).render(true));
          diffs++;
        } catch (SnapshotException e) {
          put(zip, entries, "diffs/" + a.id() + "__" + b.id() + ".error.txt", e.getMessage() + "\n");
        }
      }

      // Alerts.
      alerts = exportAlerts(home, zip, entries);

      put(zip, entries, "README.md", readme(home, reason, clock.instant(), verification, records[0], ids.size(), failing,
          diffs, alerts, entries));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e instanceof IOException io ? io : new IOException("incident export failed: " + e.getMessage(), e);
    } catch (SQLException e) {
      Files.deleteIfExists(tmp);
      throw new IOException("cannot open " + home.stateDb() + ": " + e.getMessage(), e);
    } catch (SnapshotException e) {
      Files.deleteIfExists(tmp);
      throw new IOException(e.getMessage(), e);
    }
    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return new Summary(abs, records[0], verification, ids.size(), failing, diffs, alerts, entries);
  }

  private static Map<String, Object> recordMap(AuditRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", r.seq());
    m.put("time", r.time().toString());
    m.put("type", r.type());
    m.put("session", r.sessionOrNull());
    m.put("principal", r.principal());
    m.put("body", r.body());
    m.put("prev", r.prev());
    m.put("hash", r.hash());
    return m;
  }

  private static String timelineRow(AuditRecord r) {
    String action = r.fieldString("action");
    if (action.isEmpty() && AuditRecord.Type.EVENT.equals(r.type())) {
      action = r.fieldString("category") + "/" + r.fieldString("name");
    }
    String verdict = AuditRecord.Type.DECISION.equals(r.type()) ? r.fieldString("verdict") : r.fieldString("status");
    String reason = r.fieldString("reason");
    if (reason.isEmpty()) {
      reason = r.fieldString("error");
    }
    return "| " + r.time() + " | " + r.seq() + " | " + cell(r.sessionOrNull() == null ? "" : r.sessionOrNull()) + " | "
        + cell(r.principal()) + " | " + r.type() + " | " + cell(action) + " | " + cell(r.fieldString("resource")) + " | "
        + cell(verdict) + " | " + cell(reason) + " |\n";
  }

  /** Table cells: no pipes or newlines (they come from untrusted text), bounded length. */
  private static String cell(String s) {
    String t = s.replace("|", "\\|").replace("\n", " ").replace("\r", " ");
    return t.length() > 200 ? t.substring(0, 200) + "…" : t;
  }

  private static int exportAlerts(WardenHome home, ZipOutputStream zip, List<String> entries) throws IOException {
    if (!Files.exists(home.eventsDb())) {
      return 0;
    }
    String url = "jdbc:sqlite:file:" + home.eventsDb().toAbsolutePath() + "?mode=ro";
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      try (ResultSet t = st.executeQuery("SELECT name FROM sqlite_master WHERE type='table' AND name='alerts'")) {
        if (!t.next()) {
          return 0;
        }
      }
      int n = 0;
      entry(zip, entries, "alerts/alerts.jsonl");
      try (ResultSet rs = st.executeQuery("SELECT * FROM alerts LIMIT " + MAX_ALERTS)) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          Map<String, Object> m = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            m.put(md.getColumnName(i), rs.getObject(i));
          }
          zip.write((Json.compact(m) + "\n").getBytes(StandardCharsets.UTF_8));
          n++;
        }
      }
      zip.closeEntry();
      return n;
    } catch (SQLException e) {
      put(zip, entries, "alerts/error.txt", "alerts could not be read from " + home.eventsDb() + ": " + e.getMessage() + "\n");
      return 0;
    }
  }

  private static String readme(WardenHome home, String reason, Instant now, AuditVerifier.Result v, long records,
      int snapshots, int failing, int diffs, int alerts, List<String> entries) {
    StringBuilder sb = new StringBuilder("# Warden incident bundle\n\n");
    sb.append("- home: `").append(home.root()).append("`\n");
    sb.append("- exported: ").append(now).append('\n');
    sb.append("- reason: ").append(reason.replace("\n", " ")).append('\n');
    sb.append("- audit log: ").append(records).append(" records — ").append(v.summary()).append('\n');
    sb.append("- snapshots: ").append(snapshots).append(" (").append(failing).append(" failing verification), ")
        .append(diffs).append(" consecutive diffs\n");
    sb.append("- alerts: ").append(alerts).append("\n\n");
    sb.append("Re-verify the log elsewhere with the included public key (`keys/`) and `audit/audit.head`. ")
        .append("Changes marked UNEXPLAINED in `diffs/` were made without an audited action: look there first.\n\n");
    sb.append("## Contents\n\n");
    for (String e : entries) {
      sb.append("- `").append(e).append("`\n");
    }
    sb.append("- `README.md`\n");
    return sb.toString();
  }

  private static void entry(ZipOutputStream zip, List<String> entries, String name) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    entries.add(name);
  }

  private static void put(ZipOutputStream zip, List<String> entries, String name, String text) throws IOException {
    entry(zip, entries, name);
    zip.write(text.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }

  private static void copyIfExists(ZipOutputStream zip, List<String> entries, Path file, String name) throws IOException {
    if (Files.isRegularFile(file)) {
      entry(zip, entries, name);
      zip.write(Files.readAllBytes(file));
      zip.closeEntry();
    }
  }
}
