package dev.warden.monitor.events;

import dev.warden.kernel.audit.AuditRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps audit records to OCSF-shaped events. A pure function of the record: the same record always
 * gives the same event, so backfill and live ingestion agree.
 *
 * <h2>Mapping</h2>
 * <pre>
 * exec, skill_run                      → 1007 Process Activity (Launch)
 * egress                               → 4002 HTTP Activity (by method; CONNECT → 4001 Network Activity Open)
 * file_read/list/write, memory_write   → 1001 File System Activity (Read / Create|Update)
 * cron_create, cron_delete             → 1006 Scheduled Job Activity (Create / Delete)
 * credential_use, approval_answer      → 3003 Authorize Session (Assign Privileges)
 * every other action                   → 6003 API Activity (Create/Read/Update/Delete/Other)
 * event credential/*                   → 3003; gateway/login_failed → 3002 Authentication (Logon, Failure)
 * event skill/files_changed            → 1001 (Update); hostscan/* → 5001 Device Inventory Info
 * event containment/*, gateway/*       → 6002 Application Lifecycle; other events → 6003 (Other)
 * checkpoint, exported head            → 1008 Event Log Activity (Other: "Checkpoint" / "Head")
 * alert                                → 2004 Detection Finding
 * </pre>
 * Decisions carry {@code disposition} (allow → Allowed, deny → Blocked, ask → Delayed); the whole
 * audit body and the chain link (seq, hash, prev) are kept under {@code unmapped.warden}.
 */
public final class OcsfMapper {

  /** OCSF schema version the documents follow. */
  public static final String OCSF_VERSION = "1.1.0";

  /** Instruction files whose writes count as persistent instructions even without normaliser facts. */
  public static final Set<String> INSTRUCTION_FILE_NAMES =
      Set.of("AGENTS.md", "SOUL.md", "USER.md", "TOOLS.md", "HEARTBEAT.md", "IDENTITY.md", "BOOTSTRAP.md");

  public static final int SEVERITY_INFO = 1;
  public static final int SEVERITY_LOW = 2;
  public static final int SEVERITY_MEDIUM = 3;
  public static final int SEVERITY_HIGH = 4;
  public static final int SEVERITY_CRITICAL = 5;

  private OcsfMapper() {}

  private record Shape(OcsfClass cls, int activityId, String activityName) {}

  public static OcsfEvent fromAudit(AuditRecord r) {
    Map<String, Object> body = r.body();
    String type = r.type();
    String action = null;
    String category = null;
    String name = null;
    if (type.equals(AuditRecord.Type.DECISION) || type.equals(AuditRecord.Type.OUTCOME)) {
      action = str(body.get("action"));
    } else if (type.equals(AuditRecord.Type.EVENT)) {
      category = str(body.get("category"));
      name = str(body.get("name"));
    }
    Map<String, Object> fields = body.get("fields") instanceof Map<?, ?> f ? cast(f) : body;
    String resource = str(body.get("resource"));
    String verdict = type.equals(AuditRecord.Type.DECISION) ? str(body.get("verdict")) : null;
    String rule = str(body.get("rule"));
    String status = type.equals(AuditRecord.Type.OUTCOME) ? str(body.get("status")) : null;
    String label = str(body.get("label"));
    boolean tainted = label != null && label.startsWith("untrusted");

    Shape shape = shape(type, action, category, name, fields);
    String host = firstNonNull(str(fields.get("host")), "egress".equals(action) ? resource : null);
    String credential = firstNonNull(str(fields.get("credential")),
        "credential_use".equals(action) ? resource : null);
    String skill = skillOf(action, resource, fields, r.principal());
    String target = targetKind(action, resource, fields, body);
    int severity = severity(type, verdict, status, category, name, tainted, target);

    Map<String, Object> doc = new LinkedHashMap<>();
    header(doc, shape.cls, shape.activityId, shape.activityName, severity, r.time());
    doc.put("message", message(r, action, resource, verdict, status, category, name));
    Map<String, Object> actor = new LinkedHashMap<>();
    actor.put("user", Map.of("name", r.principal(), "type", principalKind(r.principal())));
    if (r.sessionOrNull() != null) {
      actor.put("session", Map.of("uid", r.sessionOrNull()));
    }
    doc.put("actor", actor);
    if (verdict != null) {
      int disp = switch (verdict) {
        case "allow" -> 1;
        case "deny" -> 2;
        case "ask" -> 14;
        default -> 0;
      };
      doc.put("disposition_id", disp);
      doc.put("disposition", switch (disp) {
        case 1 -> "Allowed";
        case 2 -> "Blocked";
        case 14 -> "Delayed";
        default -> "Unknown";
      });
    }
    if (status != null) {
      boolean ok = status.equals("executed");
      doc.put("status_id", ok ? 1 : 2);
      doc.put("status", ok ? "Success" : "Failure");
      if (!ok && body.get("error") != null) {
        doc.put("status_detail", str(body.get("error")));
      }
    } else if ("login_failed".equals(name)) {
      doc.put("status_id", 2);
      doc.put("status", "Failure");
    }
    classFields(doc, shape.cls, action, resource, fields, host);

    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("version", OCSF_VERSION);
    meta.put("product", Map.of("name", "Warden", "vendor_name", "Warden", "feature", Map.of("name", "kernel")));
    meta.put("uid", "audit-" + r.seq());
    meta.put("sequence", r.seq());
    meta.put("log_name", "warden-audit");
    doc.put("metadata", meta);

    Map<String, Object> warden = new LinkedHashMap<>();
    warden.put("record_type", type);
    warden.put("seq", r.seq());
    warden.put("hash", r.hash());
    warden.put("prev", r.prev());
    warden.put("tainted", tainted);
    if (target != null) {
      warden.put("target", target);
    }
    warden.put("body", sorted(body));
    doc.put("unmapped", Map.of("warden", warden));

    return new OcsfEvent(r.seq(), r.time(), type, shape.cls, shape.activityId, severity, r.sessionOrNull(),
        r.principal(), action, resource, verdict, rule, status, category, name, host, skill, credential, target,
        tainted, doc, null);
  }

  /**
   * The audit chain's head as an exported event: what a collector keeps so that a later rewrite
   * of the local log is detectable. The signature is the one from {@code audit.head} when it covers
   * this seq, else absent (the hash alone, held off the host, already pins the chain).
   */
  public static OcsfEvent head(Instant time, long seq, String hash, String keyIdOrNull, String signatureB64OrNull) {
    Map<String, Object> doc = new LinkedHashMap<>();
    header(doc, OcsfClass.EVENT_LOG_ACTIVITY, 99, "Head", SEVERITY_INFO, time);
    doc.put("message", "audit chain head at record " + seq);
    doc.put("metadata", monitorMeta("head-" + seq));
    Map<String, Object> warden = new LinkedHashMap<>();
    warden.put("record_type", "head");
    warden.put("head_seq", seq);
    warden.put("head_hash", hash);
    if (keyIdOrNull != null && signatureB64OrNull != null) {
      warden.put("key_id", keyIdOrNull);
      warden.put("signature", signatureB64OrNull);
    }
    doc.put("unmapped", Map.of("warden", warden));
    return new OcsfEvent(0, time, "head", OcsfClass.EVENT_LOG_ACTIVITY, 99, SEVERITY_INFO, null, "system:warden",
        null, null, null, null, null, null, null, null, null, null, null, false, doc, null);
  }

  /** An event the monitor raises about itself (queue overflow, exporter trouble). */
  public static OcsfEvent monitor(Instant time, String name, int severityId, String message, Map<String, Object> fields) {
    Map<String, Object> doc = new LinkedHashMap<>();
    header(doc, OcsfClass.APPLICATION_LIFECYCLE, 99, name, severityId, time);
    doc.put("message", message);
    doc.put("metadata", monitorMeta("monitor-" + name + "-" + time.toEpochMilli()));
    Map<String, Object> warden = new LinkedHashMap<>();
    warden.put("record_type", "monitor");
    warden.put("body", new LinkedHashMap<>(fields));
    doc.put("unmapped", Map.of("warden", warden));
    return new OcsfEvent(0, time, "monitor", OcsfClass.APPLICATION_LIFECYCLE, 99, severityId, null, "system:monitor",
        null, null, null, null, null, "monitor", name, null, null, null, null, false, doc, null);
  }

  /** A detection finding (an alert) as an OCSF 2004 event. */
  public static OcsfEvent finding(Instant time, String alertId, String rule, int severityId, String title, String detail,
      String sessionOrNull, Instant firstSeen, Instant lastSeen, long count) {
    Map<String, Object> doc = new LinkedHashMap<>();
    header(doc, OcsfClass.DETECTION_FINDING, count == 1 ? 1 : 2, count == 1 ? "Create" : "Update", severityId, time);
    doc.put("message", title);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("uid", alertId);
    info.put("title", title);
    info.put("desc", detail);
    info.put("analytic", Map.of("name", rule, "type_id", 1, "type", "Rule"));
    info.put("first_seen_time", firstSeen.toEpochMilli());
    info.put("last_seen_time", lastSeen.toEpochMilli());
    doc.put("finding_info", info);
    doc.put("count", count);
    if (sessionOrNull != null) {
      doc.put("actor", Map.of("session", Map.of("uid", sessionOrNull)));
    }
    doc.put("metadata", monitorMeta(alertId));
    doc.put("unmapped", Map.of("warden", Map.of("record_type", "alert", "rule", rule)));
    return new OcsfEvent(0, time, "alert", OcsfClass.DETECTION_FINDING, count == 1 ? 1 : 2, severityId, sessionOrNull,
        "system:monitor", null, null, null, rule, null, "alert", rule, null, null, null, null, false, doc, null);
  }

  // ---------------------------------------------------------------------------------------------

  private static void header(Map<String, Object> doc, OcsfClass c, int activityId, String activityName, int severity,
      Instant time) {
    doc.put("class_uid", c.uid);
    doc.put("class_name", c.className);
    doc.put("category_uid", c.categoryUid);
    doc.put("category_name", c.categoryName);
    doc.put("activity_id", activityId);
    doc.put("activity_name", activityName);
    doc.put("type_uid", c.uid * 100L + activityId);
    doc.put("severity_id", severity);
    doc.put("severity", severityName(severity));
    doc.put("time", time.toEpochMilli());
  }

  private static Map<String, Object> monitorMeta(String uid) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("version", OCSF_VERSION);
    meta.put("product", Map.of("name", "Warden", "vendor_name", "Warden", "feature", Map.of("name", "monitor")));
    meta.put("uid", uid);
    return meta;
  }

  public static String severityName(int id) {
    return switch (id) {
      case 1 -> "Informational";
      case 2 -> "Low";
      case 3 -> "Medium";
      case 4 -> "High";
      case 5 -> "Critical";
      case 6 -> "Fatal";
      default -> "Unknown";
    };
  }

  private static Shape shape(String type, String action, String category, String name, Map<String, Object> fields) {
    if (type.equals(AuditRecord.Type.CHECKPOINT)) {
      return new Shape(OcsfClass.EVENT_LOG_ACTIVITY, 99, "Checkpoint");
    }
    if (action != null) {
      return switch (action) {
        case "exec", "skill_run" -> new Shape(OcsfClass.PROCESS_ACTIVITY, 1, "Launch");
        case "egress" -> httpShape(str(fields.get("method")));
        case "file_read", "file_list" -> new Shape(OcsfClass.FILE_SYSTEM_ACTIVITY, 2, "Read");
        case "file_write" -> new Shape(OcsfClass.FILE_SYSTEM_ACTIVITY, 3, "Update");
        case "memory_write" -> new Shape(OcsfClass.FILE_SYSTEM_ACTIVITY, 1, "Create");
        case "cron_create" -> new Shape(OcsfClass.SCHEDULED_JOB_ACTIVITY, 1, "Create");
        case "cron_delete" -> new Shape(OcsfClass.SCHEDULED_JOB_ACTIVITY, 3, "Delete");
        case "credential_use", "approval_answer" -> new Shape(OcsfClass.AUTHORIZE_SESSION, 1, "Assign Privileges");
        case "memory_read" -> new Shape(OcsfClass.API_ACTIVITY, 2, "Read");
        case "skill_install" -> "remove".equals(str(fields.get("operation")))
            ? new Shape(OcsfClass.API_ACTIVITY, 4, "Delete") : new Shape(OcsfClass.API_ACTIVITY, 1, "Create");
        case "config_change" -> new Shape(OcsfClass.API_ACTIVITY, 3, "Update");
        default -> new Shape(OcsfClass.API_ACTIVITY, 99, "Other");
      };
    }
    if (category != null) {
      String n = name == null ? "" : name;
      return switch (category) {
        case "credential" -> new Shape(OcsfClass.AUTHORIZE_SESSION, 1, "Assign Privileges");
        case "gateway" -> n.startsWith("login")
            ? new Shape(OcsfClass.AUTHENTICATION, 1, "Logon")
            : new Shape(OcsfClass.APPLICATION_LIFECYCLE, 99, n);
        case "containment" -> new Shape(OcsfClass.APPLICATION_LIFECYCLE, n.equals("quarantine") ? 4 : 3,
            n.equals("quarantine") ? "Stop" : "Start");
        case "hostscan" -> new Shape(OcsfClass.DEVICE_INVENTORY_INFO, 2, "Collect");
        case "skill" -> n.equals("files_changed")
            ? new Shape(OcsfClass.FILE_SYSTEM_ACTIVITY, 3, "Update")
            : new Shape(OcsfClass.API_ACTIVITY, n.equals("install") ? 1 : 99, n.equals("install") ? "Create" : n);
        case "drift", "integrity" -> new Shape(OcsfClass.FILE_SYSTEM_ACTIVITY, 3, "Update");
        default -> new Shape(OcsfClass.API_ACTIVITY, 99, category + "/" + n);
      };
    }
    return new Shape(OcsfClass.API_ACTIVITY, 99, "Other");
  }

  private static Shape httpShape(String methodOrNull) {
    String m = methodOrNull == null ? "" : methodOrNull.toUpperCase(Locale.ROOT);
    return switch (m) {
      case "CONNECT" -> new Shape(OcsfClass.NETWORK_ACTIVITY, 1, "Open");
      case "DELETE" -> new Shape(OcsfClass.HTTP_ACTIVITY, 2, "Delete");
      case "GET" -> new Shape(OcsfClass.HTTP_ACTIVITY, 3, "Get");
      case "HEAD" -> new Shape(OcsfClass.HTTP_ACTIVITY, 4, "Head");
      case "OPTIONS" -> new Shape(OcsfClass.HTTP_ACTIVITY, 5, "Options");
      case "POST" -> new Shape(OcsfClass.HTTP_ACTIVITY, 6, "Post");
      case "PUT" -> new Shape(OcsfClass.HTTP_ACTIVITY, 7, "Put");
      case "TRACE" -> new Shape(OcsfClass.HTTP_ACTIVITY, 8, "Trace");
      case "PATCH" -> new Shape(OcsfClass.HTTP_ACTIVITY, 9, "Patch");
      default -> new Shape(OcsfClass.HTTP_ACTIVITY, 99, "Other");
    };
  }

  private static void classFields(Map<String, Object> doc, OcsfClass c, String action, String resource,
      Map<String, Object> fields, String host) {
    switch (c) {
      case PROCESS_ACTIVITY -> {
        Map<String, Object> p = new LinkedHashMap<>();
        if ("skill_run".equals(action)) {
          p.put("name", str(fields.get("skill")) + "/" + str(fields.get("script")));
          p.put("cmd_line", str(fields.get("script")) + " " + joinList(fields.get("args")));
        } else {
          p.put("name", resource);
          p.put("cmd_line", joinList(fields.get("argv")));
          if (fields.get("cwd") != null) {
            p.put("file", Map.of("parent_folder", str(fields.get("cwd"))));
          }
        }
        doc.put("process", p);
      }
      case HTTP_ACTIVITY, NETWORK_ACTIVITY -> {
        Map<String, Object> dst = new LinkedHashMap<>();
        dst.put("hostname", host);
        if (fields.get("port") != null) {
          dst.put("port", fields.get("port"));
        }
        doc.put("dst_endpoint", dst);
        if (fields.get("url") != null) {
          Map<String, Object> req = new LinkedHashMap<>();
          req.put("http_method", str(fields.get("method")));
          req.put("url", Map.of("url_string", str(fields.get("url")), "hostname", host == null ? "" : host));
          doc.put("http_request", req);
        }
      }
      case FILE_SYSTEM_ACTIVITY -> {
        String path = firstNonNull(str(fields.get("path")), str(fields.get("file")), resource);
        if (path != null) {
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("path", path);
          f.put("name", path.substring(path.lastIndexOf('/') + 1));
          f.put("type_id", 1);
          if (fields.get("sha256") != null) {
            f.put("hashes", List.of(Map.of("algorithm_id", 3, "algorithm", "SHA-256", "value", str(fields.get("sha256")))));
          }
          doc.put("file", f);
        }
      }
      case SCHEDULED_JOB_ACTIVITY -> {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("name", resource);
        if (fields.get("prompt") != null) {
          job.put("cmd_line", str(fields.get("prompt")));
        }
        if (fields.get("schedule") != null) {
          job.put("schedule", str(fields.get("schedule")));
        }
        doc.put("job", job);
      }
      case AUTHORIZE_SESSION -> {
        List<String> privileges = new ArrayList<>();
        Object scope = firstNonNull(fields.get("scope"), fields.get("scope_used"));
        if (scope != null) {
          privileges.add(scope.toString());
        }
        doc.put("privileges", privileges);
        if (host != null) {
          doc.put("dst_endpoint", Map.of("hostname", host));
        }
      }
      case API_ACTIVITY -> {
        doc.put("api", Map.of("operation", action == null ? "event" : action, "service", Map.of("name", "warden")));
        if (resource != null) {
          doc.put("resources", List.of(Map.of("name", resource)));
        }
      }
      default -> {
        // no class-specific objects
      }
    }
  }

  private static String skillOf(String action, String resource, Map<String, Object> fields, String principal) {
    if ("skill_install".equals(action)) {
      return firstNonNull(str(fields.get("name")), resource);
    }
    if ("skill_run".equals(action)) {
      return firstNonNull(str(fields.get("skill")), resource);
    }
    String s = str(fields.get("skill"));
    if (s != null) {
      return s;
    }
    return principal.startsWith("skill:") ? principal.substring("skill:".length()) : null;
  }

  private static String targetKind(String action, String resource, Map<String, Object> fields, Map<String, Object> body) {
    if ("memory_write".equals(action)) {
      return "memory";
    }
    if (!"file_write".equals(action)) {
      return null;
    }
    Object facts = body.get("facts");
    if (facts instanceof Map<?, ?> f) {
      if (Boolean.TRUE.equals(f.get("memory_file"))) {
        return "memory";
      }
      if (Boolean.TRUE.equals(f.get("instruction_file"))) {
        return "instruction";
      }
    }
    String path = firstNonNull(str(fields.get("path")), resource);
    if (path == null) {
      return null;
    }
    String fileName = path.substring(path.lastIndexOf('/') + 1);
    if (fileName.equals("MEMORY.md") || path.startsWith("memory/") || path.contains("/memory/")) {
      return "memory";
    }
    return INSTRUCTION_FILE_NAMES.contains(fileName) ? "instruction" : null;
  }

  private static int severity(String type, String verdict, String status, String category, String name, boolean tainted,
      String target) {
    if (verdict != null) {
      return switch (verdict) {
        case "deny" -> SEVERITY_MEDIUM;
        case "ask" -> SEVERITY_LOW;
        default -> tainted && target != null ? SEVERITY_MEDIUM : SEVERITY_INFO;
      };
    }
    if (status != null) {
      return status.equals("executed") ? SEVERITY_INFO : SEVERITY_LOW;
    }
    if (category != null) {
      String n = name == null ? "" : name;
      if (category.equals("audit") && n.contains("fail")) {
        return SEVERITY_CRITICAL;
      }
      if (category.equals("containment") && n.equals("quarantine")) {
        return SEVERITY_HIGH;
      }
      if (n.equals("login_failed") || n.equals("files_changed") || category.equals("drift") || category.equals("integrity")) {
        return SEVERITY_MEDIUM;
      }
    }
    return SEVERITY_INFO;
  }

  private static String message(AuditRecord r, String action, String resource, String verdict, String status,
      String category, String name) {
    return switch (r.type()) {
      case AuditRecord.Type.DECISION -> verdict + " " + action + " " + resource;
      case AuditRecord.Type.OUTCOME -> action + " " + resource + " " + status;
      case AuditRecord.Type.EVENT -> category + "/" + name;
      case AuditRecord.Type.CHECKPOINT -> "signed checkpoint over record " + r.fieldString("covers_seq");
      default -> r.type();
    };
  }

  /**
   * The body with keys sorted at every level, as the audit store keeps it (canonical JSON), so a
   * live record and the same record read back during backfill give byte-identical events.
   */
  private static Object sorted(Object v) {
    if (v instanceof Map<?, ?> m) {
      java.util.TreeMap<String, Object> t = new java.util.TreeMap<>();
      m.forEach((k, x) -> t.put(String.valueOf(k), sorted(x)));
      return t;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(x -> out.add(sorted(x)));
      return out;
    }
    return v;
  }

  private static String principalKind(String principal) {
    int colon = principal.indexOf(':');
    return colon > 0 ? principal.substring(0, colon) : principal;
  }

  private static String joinList(Object v) {
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder();
      for (Object o : l) {
        if (!sb.isEmpty()) {
          sb.append(' ');
        }
        sb.append(o);
      }
      return sb.toString();
    }
    return v == null ? "" : v.toString();
  }

  @SafeVarargs
  private static <T> T firstNonNull(T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
