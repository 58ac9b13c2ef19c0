package dev.warden.monitor.hunt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in hunting queries. docs/hunting.md explains each one, what a hit means and what to
 * do next. All read only the {@code events} (and {@code alerts}) tables of events.db.
 */
public final class Hunts {

  private Hunts() {}

  /** SQL for an epoch-millisecond column as an ISO-8601 UTC timestamp. */
  static String ts(String expr) {
    return "strftime('%Y-%m-%dT%H:%M:%SZ', (" + expr + ") / 1000, 'unixepoch')";
  }

  /** A scope name that grants more than read access. */
  static String highPrivilege(String col) {
    return "(lower(" + col + ") IN ('*', 'repo', 'admin', 'root', 'owner', 'all', 'full_access') OR lower(" + col
        + ") LIKE '%admin%' OR lower(" + col + ") LIKE '%write%' OR lower(" + col + ") LIKE '%delete%' OR lower(" + col
        + ") LIKE '%:*' OR lower(" + col + ") LIKE '%owner%' OR lower(" + col + ") LIKE '%sudo%' OR lower(" + col
        + ") LIKE '%full%')";
  }

  static final String INSTALLS = """
      SELECT skill, time, seq, session, principal,
             COALESCE(json_extract(ocsf, '$.unmapped.warden.body.fields.source'),
                      json_extract(ocsf, '$.unmapped.warden.body.source'), '') AS source
      FROM events
      WHERE (action = 'skill_install' AND record_type = 'decision' AND verdict <> 'deny'
             AND COALESCE(json_extract(ocsf, '$.unmapped.warden.body.fields.operation'), 'install') <> 'remove')
         OR (event_category = 'skill' AND event_name = 'install')""";

  private static final List<Hunt> ALL = List.of(
      new Hunt("new-skill-installs",
          "Skills first installed in the window, and installs from a source few skills come from (rare).",
          "WITH installs AS (" + INSTALLS + "),\n"
              + "by_source AS (SELECT source, COUNT(DISTINCT skill) AS skills_from_source FROM installs GROUP BY source)\n"
              + "SELECT i.skill, i.source, " + ts("MIN(i.time)") + " AS first_installed, " + ts("MAX(i.time)")
              + " AS last_installed, COUNT(*) AS installs, b.skills_from_source,\n"
              + "  trim(CASE WHEN MIN(i.time) >= :since THEN 'new' ELSE '' END || CASE WHEN b.skills_from_source <= :rare_max"
              + " THEN ' rare-source' ELSE '' END) AS why\n"
              + "FROM installs i JOIN by_source b ON b.source = i.source\n"
              + "GROUP BY i.skill, i.source\n"
              + "HAVING MAX(i.time) >= :since AND (MIN(i.time) >= :since OR b.skills_from_source <= :rare_max)\n"
              + "ORDER BY MIN(i.time), MIN(i.seq)",
          Map.of("rare_max", "1")),
      new Hunt("skill-files-changed",
          "Skill folders whose files changed after install (integrity watch: skill/files_changed events).",
          "SELECT " + ts("c.time") + " AS changed_at, c.skill, json_extract(c.ocsf, '$.unmapped.warden.body.files') AS files,\n"
              + "  (SELECT " + ts("MAX(i.time)") + " FROM events i WHERE i.skill = c.skill AND i.time <= c.time AND\n"
              + "     ((i.action = 'skill_install' AND i.record_type = 'decision') OR (i.event_category = 'skill' AND i.event_name = 'install')))"
              + " AS installed_at,\n"
              + "  c.seq AS audit_seq\n"
              + "FROM events c WHERE c.event_category = 'skill' AND c.event_name = 'files_changed' AND c.time >= :since\n"
              + "ORDER BY c.time, c.seq",
          Map.of()),
      new Hunt("new-egress-destinations",
          "Hosts contacted for the first time in the window, with how many requests, sessions and tainted sessions.",
          "SELECT f.key AS host, " + ts("f.time") + " AS first_seen, COUNT(e.id) AS requests, COUNT(DISTINCT e.session) AS sessions,\n"
              + "  COALESCE(SUM(e.tainted), 0) AS from_tainted, COALESCE(SUM(e.verdict = 'deny'), 0) AS denied,\n"
              + "  COALESCE(SUM(e.verdict = 'allow'), 0) AS allowed\n"
              + "FROM first_seen f LEFT JOIN events e ON e.action = 'egress' AND e.host = f.key AND e.record_type = 'decision'\n"
              + "WHERE f.kind = 'egress_host' AND f.time >= :since\n"
              + "GROUP BY f.key ORDER BY f.time, f.key",
          Map.of()),
      new Hunt("process-activity",
          "Commands and skill scripts the agent's tools asked to run, shells flagged.",
          "SELECT " + ts("time") + " AS time, session, principal, action, resource AS program,\n"
              + "  json_extract(ocsf, '$.process.cmd_line') AS cmd_line, verdict, rule, tainted,\n"
              + "  CASE WHEN resource IN ('sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'busybox', 'python', 'python3', 'perl', 'node')\n"
              + "    OR resource LIKE '%/sh' OR resource LIKE '%/bash' OR json_extract(ocsf, '$.process.cmd_line') LIKE '% -c %'\n"
              + "    THEN 'shell' ELSE '' END AS shell\n"
              + "FROM events WHERE action IN ('exec', 'skill_run') AND record_type = 'decision' AND time >= :since\n"
              + "ORDER BY time, seq",
          Map.of()),
      new Hunt("credential-use-new",
          "Credential uses in the window by a skill/principal or toward a host never seen with that credential before.",
          "SELECT " + ts("e.time") + " AS time, e.credential, COALESCE(e.skill, e.principal) AS user, COALESCE(e.host, '') AS host,\n"
              + "  e.session, COALESCE(e.verdict, '') AS verdict,\n"
              + "  trim(MAX(CASE WHEN f.kind = 'credential_user' THEN 'new-user' ELSE '' END) || ' ' ||\n"
              + "       MAX(CASE WHEN f.kind = 'credential_host' THEN 'new-host' ELSE '' END)) AS why,\n"
              + "  e.seq AS audit_seq\n"
              + "FROM first_seen f JOIN events e ON e.seq = f.seq\n"
              + "WHERE f.kind IN ('credential_user', 'credential_host') AND f.time >= :since\n"
              + "GROUP BY e.seq ORDER BY e.time, e.seq",
          Map.of()),
      new Hunt("credential-privilege",
          "Credentials holding high-privilege scopes, and privilege drift: scopes granted but unused in the window, or used but never granted.",
          "WITH granted AS (\n"
              + "  SELECT DISTINCT e.credential, j.value AS scope\n"
              + "  FROM events e, json_each(json_extract(e.ocsf, '$.unmapped.warden.body.scopes')) j\n"
              + "  WHERE e.event_category = 'credential' AND e.credential IS NOT NULL\n"
              + "    AND json_type(e.ocsf, '$.unmapped.warden.body.scopes') = 'array'),\n"
              + "used AS (\n"
              + "  SELECT DISTINCT credential, COALESCE(json_extract(ocsf, '$.unmapped.warden.body.scope_used'),\n"
              + "                                     json_extract(ocsf, '$.unmapped.warden.body.fields.scope')) AS scope\n"
              + "  FROM events WHERE credential IS NOT NULL AND time >= :since\n"
              + "    AND (event_category = 'credential' OR (action = 'credential_use' AND record_type = 'decision'))),\n"
              + "creds AS (SELECT credential FROM granted UNION SELECT credential FROM used WHERE scope IS NOT NULL)\n"
              + "SELECT c.credential,\n"
              + "  (SELECT group_concat(scope, ' ') FROM granted g WHERE g.credential = c.credential) AS granted,\n"
              + "  (SELECT group_concat(scope, ' ') FROM used u WHERE u.credential = c.credential AND u.scope IS NOT NULL) AS used,\n"
              + "  (SELECT group_concat(scope, ' ') FROM granted g WHERE g.credential = c.credential AND " + highPrivilege("g.scope")
              + ") AS high_privilege,\n"
              + "  (SELECT group_concat(scope, ' ') FROM granted g WHERE g.credential = c.credential AND g.scope NOT IN\n"
              + "     (SELECT scope FROM used u WHERE u.credential = c.credential AND u.scope IS NOT NULL)) AS granted_unused,\n"
              + "  (SELECT group_concat(scope, ' ') FROM used u WHERE u.credential = c.credential AND u.scope IS NOT NULL AND u.scope NOT IN\n"
              + "     (SELECT scope FROM granted g WHERE g.credential = c.credential)) AS used_not_granted\n"
              + "FROM creds c\n"
              + "WHERE high_privilege IS NOT NULL OR granted_unused IS NOT NULL OR used_not_granted IS NOT NULL\n"
              + "ORDER BY c.credential",
          Map.of()),
      new Hunt("tainted-persistent-writes",
          "Writes to memory and workspace instruction files (AGENTS.md, SOUL.md…) decided while the session's context was untrusted.",
          "SELECT " + ts("time") + " AS time, session, principal, action, resource AS file, target, verdict, rule,\n"
              + "  json_extract(ocsf, '$.unmapped.warden.body.label') AS label, seq AS audit_seq\n"
              + "FROM events WHERE action IN ('memory_write', 'file_write') AND record_type = 'decision' AND target IS NOT NULL\n"
              + "  AND tainted = 1 AND time >= :since ORDER BY time, seq",
          Map.of()),
      new Hunt("cron-persistence",
          "Scheduled jobs created or deleted in the window, with the context they were created from.",
          "SELECT " + ts("time") + " AS time, session, principal, action, resource AS job,\n"
              + "  json_extract(ocsf, '$.job.schedule') AS schedule, json_extract(ocsf, '$.job.cmd_line') AS prompt, verdict, tainted,\n"
              + "  json_extract(ocsf, '$.unmapped.warden.body.label') AS label, seq AS audit_seq\n"
              + "FROM events WHERE action IN ('cron_create', 'cron_delete') AND record_type = 'decision' AND time >= :since\n"
              + "ORDER BY time, seq",
          Map.of()),
      new Hunt("config-drift",
          "Configuration changes through the kernel and drift events (live state differing from warden.yaml, skills.lock, policies).",
          "SELECT " + ts("time") + " AS time,\n"
              + "  CASE WHEN action = 'config_change' THEN 'config_change' ELSE event_category || '/' || event_name END AS kind,\n"
              + "  session, principal,\n"
              + "  COALESCE(resource, json_extract(ocsf, '$.unmapped.warden.body.key'), json_extract(ocsf, '$.unmapped.warden.body.path'), '') AS subject,\n"
              + "  verdict, tainted, json_extract(ocsf, '$.unmapped.warden.body.detail') AS detail, seq AS audit_seq\n"
              + "FROM events WHERE ((action = 'config_change' AND record_type = 'decision') OR event_category = 'drift')\n"
              + "  AND time >= :since ORDER BY time, seq",
          Map.of()),
      new Hunt("deny-bursts",
          "Sessions with at least :threshold denied actions within one clock minute.",
          "SELECT session, " + ts("(time / 60000) * 60000") + " AS minute, COUNT(*) AS denies,\n"
              + "  group_concat(DISTINCT rule) AS rules, group_concat(DISTINCT action) AS actions\n"
              + "FROM events WHERE verdict = 'deny' AND time >= :since\n"
              + "GROUP BY session, time / 60000 HAVING COUNT(*) >= :threshold ORDER BY minute",
          Map.of("threshold", "10")),
      new Hunt("host-agent-runtimes",
          "Agent runtimes (OpenClaw, Moltbot, Clawdbot, Warden…) and posture findings reported by `warden scan-host` (hostscan events).",
          "SELECT " + ts("time") + " AS time, event_name AS finding,\n"
              + "  json_extract(ocsf, '$.unmapped.warden.body.product') AS product,\n"
              + "  json_extract(ocsf, '$.unmapped.warden.body.path') AS path,\n"
              + "  json_extract(ocsf, '$.unmapped.warden.body.severity') AS severity,\n"
              + "  json_extract(ocsf, '$.unmapped.warden.body.detail') AS detail, seq AS audit_seq\n"
              + "FROM events WHERE event_category = 'hostscan' AND time >= :since ORDER BY time, seq",
          Map.of()),
      new Hunt("alerts",
          "Alerts raised by the detections, last seen in the window.",
          "SELECT id, rule, severity, title, session, " + ts("first_seen") + " AS first_seen, " + ts("last_seen")
              + " AS last_seen, count, detail\n"
              + "FROM alerts WHERE last_seen >= :since ORDER BY last_seen, rowid",
          Map.of()));

  private static final Map<String, Hunt> BY_NAME = index();

  private static Map<String, Hunt> index() {
    Map<String, Hunt> m = new LinkedHashMap<>();
    for (Hunt h : ALL) {
      m.put(h.name(), h);
    }
    return m;
  }

  public static List<Hunt> all() {
    return ALL;
  }

  public static Optional<Hunt> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }
}
