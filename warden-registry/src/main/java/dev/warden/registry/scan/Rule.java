package dev.warden.registry.scan;

import java.util.HashMap;
import java.util.Map;

/**
 * The scanner's rules. The code's hundreds digit is the category used by {@link Verdict#of}: 0
 * format, 1 execution, 2 credentials and exfiltration, 3 obfuscation, 4 instructions aimed at the
 * agent, 5 hidden Unicode, 6 undeclared permissions, 7 names. The severity here is the default; a
 * detector raises or lowers it with context (documented per rule in {@code docs/scanner.md}).
 */
public enum Rule {
  WS001("unreadable-skill", Severity.MEDIUM, "SKILL.md is missing or its frontmatter does not parse"),
  WS002("oversized-input", Severity.LOW, "a file or skill exceeds a scan limit and was only partly scanned"),

  WS101("pipe-to-shell", Severity.HIGH, "a download is piped into a shell or interpreter"),
  WS102("decode-to-shell", Severity.CRITICAL, "base64/hex-decoded text is piped into a shell"),
  WS103("powershell-cradle", Severity.CRITICAL, "PowerShell download-and-execute or encoded command"),
  WS104("password-archive", Severity.HIGH, "a password-protected archive (hides its content from scanners)"),
  WS105("unpinned-download", Severity.MEDIUM, "a downloaded file is executed without a pinned sha256"),
  WS106("exec-downloaded", Severity.CRITICAL, "code executes content fetched from the network"),
  WS107("bundled-binary", Severity.MEDIUM, "the skill ships a prebuilt executable"),

  WS201("env-harvest", Severity.HIGH, "dumps or sends the whole environment"),
  WS202("secret-files", Severity.HIGH, "reads SSH keys, cloud credentials or other secret files"),
  WS203("browser-profile", Severity.HIGH, "reads browser passwords, cookies or profiles"),
  WS204("agent-state", Severity.HIGH, "reads the agent's state directory (~/.openclaw, ~/.warden, …)"),
  WS205("credential-exfil", Severity.CRITICAL, "reads credentials and sends data out in the same place"),
  WS206("exfil-endpoint", Severity.HIGH, "talks to a throwaway, tunnelling, paste or raw-IP endpoint"),

  WS301("eval-decoded", Severity.CRITICAL, "evaluates decoded or built-up strings as code"),
  WS302("encoded-blob", Severity.MEDIUM, "a long base64 or hex blob"),
  WS303("char-code-building", Severity.MEDIUM, "builds strings from character codes"),
  WS304("high-entropy", Severity.MEDIUM, "a long high-entropy string (packed or encrypted payload)"),

  WS401("instruction-override", Severity.HIGH, "tells the agent to ignore or override the user or its instructions"),
  WS402("conceal-from-user", Severity.HIGH, "tells the agent to hide what it does from the user"),
  WS403("send-data-out", Severity.HIGH, "tells the agent to send conversation, memory or secrets to a URL"),
  WS404("rewrite-agent-files", Severity.HIGH, "writes persistent instructions (MEMORY.md, AGENTS.md, SOUL.md, …)"),
  WS405("persistence", Severity.HIGH, "installs cron jobs, login hooks or services"),

  WS501("invisible-unicode", Severity.HIGH, "zero-width, bidi-override or tag characters"),
  WS502("homoglyph", Severity.HIGH, "words mixing Latin with look-alike Cyrillic or Greek letters"),

  WS601("undeclared-network", Severity.MEDIUM, "scripts reach a host the manifest does not declare"),
  WS602("undeclared-env", Severity.MEDIUM, "scripts read an environment variable the skill does not declare"),
  WS603("undeclared-binary", Severity.MEDIUM, "scripts start an executable the skill does not declare"),
  WS604("scripts-without-manifest", Severity.INFO, "the skill has scripts but no permission manifest (they will not run)"),
  WS605("symlink-escape", Severity.HIGH, "a symlink points outside the skill folder"),

  WS701("typosquat", Severity.HIGH, "the name imitates a popular or installed skill");

  private static final Map<String, Rule> BY_CODE = new HashMap<>();

  static {
    for (Rule r : values()) {
      BY_CODE.put(r.name(), r);
    }
  }

  private final String slug;
  private final Severity severity;
  private final String summary;

  Rule(String slug, Severity severity, String summary) {
    this.slug = slug;
    this.severity = severity;
    this.summary = summary;
  }

  public String code() {
    return name();
  }

  public String slug() {
    return slug;
  }

  public Severity severity() {
    return severity;
  }

  public String summary() {
    return summary;
  }

  public static Rule byCodeOrNull(String code) {
    return BY_CODE.get(code);
  }
}
