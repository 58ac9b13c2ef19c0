package dev.warden.monitor.snapshot.internal;

import dev.warden.kernel.audit.AuditRecord;
import dev.warden.monitor.snapshot.Attribution;
import dev.warden.monitor.snapshot.AuditRef;
import dev.warden.monitor.snapshot.ChangeKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the audited actions behind a change. Only actions that took effect count: a decision whose
 * verdict was {@code allow}, or an outcome whose status was {@code executed}. A denied or failed
 * action never explains a change — an attacker who edits a file after a denied write must still be
 * flagged.
 *
 * <p>Which actions touch which paths (home-relative):
 * <ul>
 *   <li>{@code file_write} path P → {@code workspace/P} (an absolute P under the home is relativised);
 *       its recorded {@code sha256} must also match the content the change ended with;
 *   <li>{@code memory_write} file F → {@code workspace/F};
 *   <li>{@code cron_create} / {@code cron_delete} name N → {@code cron:N};
 *   <li>{@code skill_install} name N → everything under {@code skills/N/}, and {@code skills.lock};
 *   <li>{@code config_change} → {@code warden.yaml}; when its key starts with {@code polic} (a policy
 *       change) also everything under {@code policies/};
 *   <li>an event naming a {@code credential} or {@code secret} N → {@code credential:N};
 *   <li>{@code exec}, {@code skill_run}, {@code tool_call} → any {@code workspace/} path, but only
 *       {@link Attribution#INDIRECT}: they do not say which files they wrote.
 * </ul>
 */
public final class AuditExplainer {

  /** A change attribution: verdict, the records, and a reason when unexplained. */
  public record Explanation(Attribution attribution, List<AuditRef> refs, String noteOrNull) {}

  private record Touch(AuditRef ref, String shaOrNull) {}

  private final Path homeRoot;
  private final Map<String, List<Touch>> exact = new HashMap<>();
  private final Map<String, List<Touch>> prefix = new HashMap<>();
  private final List<AuditRef> indirect = new ArrayList<>();

  public AuditExplainer(Path homeRoot, List<AuditRecord> records) {
    this.homeRoot = homeRoot.toAbsolutePath().normalize();
    for (AuditRecord r : records) {
      index(r);
    }
  }

  @SuppressWarnings("unchecked")
  private void index(AuditRecord r) {
    String type = r.type();
    String action = r.fieldString("action");
    String resource = r.fieldString("resource");
    Map<String, Object> fields = r.field("fields") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    if (AuditRecord.Type.EVENT.equals(type)) {
      for (String k : List.of("credential", "secret")) {
        Object n = r.field(k);
        if (n != null) {
          AuditRef ref = new AuditRef(r.seq(), r.time(), type, r.fieldString("name"), n.toString(), "event",
              r.sessionOrNull());
          add(exact, "credential:" + n, new Touch(ref, null));
        }
      }
      return;
    }
    String result;
    if (AuditRecord.Type.DECISION.equals(type)) {
      result = r.fieldString("verdict");
      if (!"allow".equals(result)) {
        return;
      }
    } else if (AuditRecord.Type.OUTCOME.equals(type)) {
      result = r.fieldString("status");
      if (!"executed".equals(result)) {
        return;
      }
    } else {
      return;
    }
    AuditRef ref = new AuditRef(r.seq(), r.time(), type, action, resource, result, r.sessionOrNull());
    switch (action) {
      case "file_write" -> {
        String p = fields.containsKey("path") ? fields.get("path").toString() : resource;
        Object sha = fields.get("sha256");
        for (String t : workspacePaths(p)) {
          add(exact, t, new Touch(ref, sha == null ? null : sha.toString()));
        }
      }
      case "memory_write" -> {
        String f = fields.containsKey("file") ? fields.get("file").toString() : resource;
        for (String t : workspacePaths(f)) {
          add(exact, t, new Touch(ref, null));
        }
      }
      case "cron_create", "cron_delete" -> {
        String n = fields.containsKey("name") ? fields.get("name").toString() : resource;
        add(exact, "cron:" + n, new Touch(ref, null));
      }
      case "skill_install" -> {
        String n = fields.containsKey("name") ? fields.get("name").toString() : resource;
        add(prefix, "skills/" + n + "/", new Touch(ref, null));
        add(exact, "skills.lock", new Touch(ref, null));
      }
      case "config_change" -> {
        add(exact, "warden.yaml", new Touch(ref, null));
        String key = fields.containsKey("key") ? fields.get("key").toString() : resource;
        if (key.startsWith("polic")) {
          add(prefix, "policies/", new Touch(ref, null));
        }
      }
      case "exec", "skill_run", "tool_call" -> indirect.add(ref);
      default -> {
        // Other actions (egress, message_send, reads…) change nothing in the home.
      }
    }
  }

  private List<String> workspacePaths(String p) {
    List<String> out = new ArrayList<>();
    if (p == null || p.isBlank()) {
      return out;
    }
    Path path = Path.of(p);
    if (path.isAbsolute()) {
      Path n = path.normalize();
      if (n.startsWith(homeRoot)) {
        out.add(HomeFiles.rel(homeRoot, n));
      }
      return out;
    }
    String norm = path.normalize().toString().replace('\\', '/');
    if (norm.startsWith("../") || norm.equals("..")) {
      return out;
    }
    out.add("workspace/" + norm);
    if (norm.startsWith("workspace/")) {
      out.add(norm);
    }
    return out;
  }

  private static void add(Map<String, List<Touch>> m, String key, Touch t) {
    m.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
  }

  /**
   * Explains one change.
   *
   * @param afterShaOrNull the content hash the change ended with (null when removed)
   */
  public Explanation explain(String path, ChangeKind kind, String afterShaOrNull) {
    List<Touch> direct = new ArrayList<>(exact.getOrDefault(path, List.of()));
    for (Map.Entry<String, List<Touch>> e : prefix.entrySet()) {
      if (path.startsWith(e.getKey())) {
        direct.addAll(e.getValue());
      }
    }
    direct.sort((a, b) -> Long.compare(a.ref().seq(), b.ref().seq()));
    boolean workspace = path.startsWith("workspace/");
    if (kind == ChangeKind.REMOVED && workspace) {
      // No action deletes a workspace file by name: writes do not explain a removal.
      direct.clear();
    }
    List<AuditRef> refs = new ArrayList<>(direct.stream().map(Touch::ref).toList());
    if (!direct.isEmpty()) {
      Touch lastHashed = null;
      for (Touch t : direct) {
        if (t.shaOrNull() != null) {
          lastHashed = t;
        }
      }
      boolean otherKindAfter = false;
      if (lastHashed != null) {
        for (Touch t : direct) {
          if (t.ref().seq() > lastHashed.ref().seq() && !t.ref().action().equals(lastHashed.ref().action())) {
            otherKindAfter = true;
          }
        }
      }
      // The newest write that recorded a hash must have produced what is there now, unless another
      // kind of action (a memory append) touched the file after it.
      if (lastHashed != null && !otherKindAfter && afterShaOrNull != null
          && !lastHashed.shaOrNull().equals(afterShaOrNull)) {
        return new Explanation(Attribution.UNEXPLAINED, refs, "content differs from what audited write #"
            + lastHashed.ref().seq() + " wrote (sha256 " + abbrev(lastHashed.shaOrNull()) + ", found "
            + abbrev(afterShaOrNull) + "): edited after the write");
      }
      return new Explanation(Attribution.EXPLAINED, refs, null);
    }
    if (workspace && !indirect.isEmpty()) {
      return new Explanation(Attribution.INDIRECT, indirect, "no action names this path; "
          + indirect.size() + " command/skill run(s) in the window could have written it");
    }
    return new Explanation(Attribution.UNEXPLAINED, List.of(), "no audited action touched this path");
  }

  private static String abbrev(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }
}
