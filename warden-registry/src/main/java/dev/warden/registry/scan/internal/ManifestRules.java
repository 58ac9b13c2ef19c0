package dev.warden.registry.scan.internal;

import dev.warden.registry.scan.Rule;
import dev.warden.registry.skill.PermissionManifest;
import dev.warden.registry.skill.Skill;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares what a skill's scripts do with what it declares: hosts (manifest {@code network}),
 * environment variables (manifest credentials plus {@code requires.env} and {@code primaryEnv}),
 * executables (manifest {@code executables} plus {@code requires.bins}/{@code anyBins}).
 *
 * <p>Only scripts are checked, and only when the skill has a manifest: without one its scripts do
 * not run at all (WS604 notes that). Commands shown in the Markdown are run by the agent through its
 * own tools, which the kernel mediates separately.
 */
public final class ManifestRules {
  private ManifestRules() {}

  /** Variables every process has; reading them is not a use of a credential. */
  private static final Set<String> STANDARD_ENV = Set.of(
      "HOME", "PATH", "USER", "LOGNAME", "PWD", "OLDPWD", "SHELL", "TMPDIR", "TMP", "TEMP", "LANG", "LANGUAGE", "LC_ALL",
      "LC_CTYPE", "TERM", "HOSTNAME", "OSTYPE", "EDITOR", "VISUAL", "PAGER", "TZ", "COLUMNS", "LINES", "PYTHONPATH",
      "PYTHONUNBUFFERED", "NODE_ENV", "NODE_PATH", "CI", "DEBUG", "VERBOSE", "NO_COLOR", "FORCE_COLOR", "IFS", "RANDOM",
      "SECONDS", "LINENO", "BASH_SOURCE", "BASH_VERSION", "FUNCNAME", "PPID", "UID", "EUID", "OPTARG", "OPTIND",
      "REPLY", "PIPESTATUS", "SCRIPT_DIR", "DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR",
      "XDG_STATE_HOME", "APPDATA", "LOCALAPPDATA", "USERPROFILE", "SYSTEMROOT", "COMSPEC", "HTTP_PROXY", "HTTPS_PROXY",
      "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS");

  /** Shell builtins, keywords and POSIX utilities: part of any shell, not extra executables. */
  private static final Set<String> SHELL_BASICS = Set.of(
      "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "in", "function", "select",
      "time", "{", "}", "!", "[", "[[", "]]", "]", "echo", "printf", "cat", "grep", "egrep", "fgrep", "sed", "awk", "cut",
      "tr", "head", "tail", "sort", "uniq", "wc", "tee", "xargs", "find", "ls", "mkdir", "rmdir", "rm", "cp", "mv", "ln",
      "touch", "chmod", "date", "sleep", "basename", "dirname", "realpath", "readlink", "pwd", "cd", "test", "true",
      "false", "exit", "return", "set", "unset", "export", "local", "read", "shift", "source", ".", "trap", "wait",
      "kill", "mktemp", "stat", "du", "df", "diff", "cmp", "comm", "paste", "join", "seq", "yes", "id", "whoami",
      "uname", "hostname", "command", "type", "which", "hash", "getopts", "declare", "typeset", "let", "exec", "eval",
      "break", "continue", "shopt", "alias", "umask", "printenv", "env", "expr", "fold", "fmt", "nl", "od", "rev",
      "split", "tac", "sum", "cksum", "md5sum", "sha256sum", "shasum", "base64", "gzip", "gunzip", "zcat", "tar",
      "file", "nohup", "timeout", "nice", "logger", "column", "pushd", "popd", "dirs", "jobs", "fg", "bg", "disown",
      "readonly", "caller", "builtin", "enable", "help", "ulimit", "times", "sh", "bash", "zsh", "mapfile", "readarray");

  private static final Pattern URL_HOSTS = Hosts.URL;
  private static final Pattern PY_ENV = Pattern.compile("os\\.(?:environ\\s*(?:\\[|\\.get\\s*\\()|getenv\\s*\\()\\s*[\"']([A-Za-z_][A-Za-z0-9_]*)[\"']");
  private static final Pattern JS_ENV = Pattern.compile("process\\.env(?:\\.([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*[\"'`]([A-Za-z_][A-Za-z0-9_]*)[\"'`]\\s*\\])|Deno\\.env\\.get\\(\\s*[\"']([A-Za-z_]\\w*)");
  private static final Pattern SH_ENV = Pattern.compile("\\$\\{?([A-Z_][A-Z0-9_]*[A-Z][A-Z0-9_]*)");
  private static final Pattern PS_ENV = Pattern.compile("\\$env:([A-Za-z_][A-Za-z0-9_]*)", Pattern.CASE_INSENSITIVE);
  private static final Pattern SH_ASSIGN = Pattern.compile("(?:^|[\\s;(])(?:export\\s+|local\\s+|declare\\s+(?:-\\w+\\s+)?|readonly\\s+)?([A-Za-z_][A-Za-z0-9_]*)=|\\bread\\s+(?:-\\w+\\s+)*([A-Za-z_][A-Za-z0-9_]*)|\\bfor\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+in\\b");
  private static final Pattern SH_FUNCTION = Pattern.compile("^\\s*(?:function\\s+)?([A-Za-z_][\\w-]*)\\s*\\(\\s*\\)");
  private static final Pattern PY_EXEC = Pattern.compile("\\b(?:subprocess\\.(?:run|call|Popen|check_output|check_call)|os\\.(?:system|popen|execvp?e?|spawnlp?))\\s*\\(\\s*\\[?\\s*[fr]?[\"']([\\w.+-]+)");
  private static final Pattern JS_EXEC = Pattern.compile("\\b(?:exec|execSync|spawn|spawnSync|execFile|execFileSync|execa|Deno\\.Command)\\s*\\(\\s*[\"'`]([\\w.+-]+)");
  private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*[\"']?([A-Za-z_]+)[\"']?");
  private static final Pattern SPLIT = Pattern.compile("\\|\\||&&|[|;`]|\\$\\(|\\(");

  public static void scan(Skill skill, SourceFile f, Findings out) {
    PermissionManifest m = skill.manifest();
    Set<String> envDeclared = new HashSet<>(skill.requirements().env());
    m.credentials().forEach(c -> envDeclared.add(c.name()));
    if (skill.requirements().primaryEnvOrNull() != null) {
      envDeclared.add(skill.requirements().primaryEnvOrNull());
    }
    Set<String> binsDeclared = new HashSet<>(m.executables());
    binsDeclared.addAll(skill.requirements().bins());
    binsDeclared.addAll(skill.requirements().anyBins());

    Map<String, Integer> hosts = new LinkedHashMap<>();
    Map<String, Integer> envs = new LinkedHashMap<>();
    Map<String, Integer> bins = new LinkedHashMap<>();
    Set<String> assigned = new HashSet<>();
    Set<String> functions = new HashSet<>();
    int networkLine = 0;
    boolean shell = f.kind == SourceFile.Kind.SHELL;
    if (shell) {
      for (SourceFile.Line l : f.lines) {
        String lt = l.text().length() > LineRules.MAX_RULE_LINE_CHARS ? l.text().substring(0, LineRules.MAX_RULE_LINE_CHARS) : l.text();
        Matcher a = SH_ASSIGN.matcher(lt);
        while (a.find()) {
          for (int g = 1; g <= 3; g++) {
            if (a.group(g) != null) assigned.add(a.group(g));
          }
        }
        Matcher fn = SH_FUNCTION.matcher(lt);
        if (fn.find()) functions.add(fn.group(1));
      }
    }
    String heredocEnd = null;
    for (SourceFile.Line l : f.lines) {
      String t = l.text().length() > LineRules.MAX_RULE_LINE_CHARS ? l.text().substring(0, LineRules.MAX_RULE_LINE_CHARS) : l.text();
      if (heredocEnd != null) {
        if (t.strip().equals(heredocEnd)) {
          heredocEnd = null;
        }
        continue;
      }
      if (shell) {
        Matcher h = HEREDOC.matcher(t);
        if (h.find()) {
          heredocEnd = h.group(1);
        }
      }
      String code = stripComment(t, f.kind);
      if (code.isBlank()) {
        continue;
      }
      Matcher u = URL_HOSTS.matcher(code);
      for (String h : Hosts.hostsIn(code)) {
        if (!isLocalOrExample(h)) hosts.putIfAbsent(h, l.number());
      }
      if (networkLine == 0 && LineRules.NETWORK_USE.matcher(code).find() && !u.reset().find()) {
        networkLine = l.number();
      }
      collect(PY_ENV, code, envs, l.number());
      collect(JS_ENV, code, envs, l.number());
      collect(PS_ENV, code, envs, l.number());
      if (shell) {
        Matcher e = SH_ENV.matcher(code);
        while (e.find()) {
          if (!assigned.contains(e.group(1))) envs.putIfAbsent(e.group(1), l.number());
        }
        for (String seg : SPLIT.split(code)) {
          String cmd = firstWord(seg);
          if (cmd != null && !functions.contains(cmd)) bins.putIfAbsent(cmd, l.number());
        }
      }
      collect(PY_EXEC, code, bins, l.number());
      collect(JS_EXEC, code, bins, l.number());
    }
    for (var e : hosts.entrySet()) {
      if (!m.allowsHost(e.getKey())) {
        out.add(Rule.WS601, f.path, e.getValue(), "reaches " + e.getKey() + ", which the manifest's network list "
            + m.networkHosts() + " does not declare");
      }
    }
    if (hosts.isEmpty() && networkLine > 0 && m.networkHosts().isEmpty()) {
      out.add(Rule.WS601, f.path, networkLine, "uses the network but the manifest declares no hosts");
    }
    for (var e : envs.entrySet()) {
      if (!STANDARD_ENV.contains(e.getKey()) && !envDeclared.contains(e.getKey())) {
        out.add(Rule.WS602, f.path, e.getValue(), "reads $" + e.getKey() + ", which is neither a declared credential nor in requires.env");
      }
    }
    for (var e : bins.entrySet()) {
      String b = e.getKey();
      if (!SHELL_BASICS.contains(b) && !binsDeclared.contains(b)) {
        out.add(Rule.WS603, f.path, e.getValue(), "starts '" + b + "', which the manifest's executables " + m.executables()
            + " and requires.bins do not declare");
      }
    }
  }

  private static void collect(Pattern p, String code, Map<String, Integer> into, int line) {
    Matcher m = p.matcher(code);
    while (m.find()) {
      for (int g = 1; g <= m.groupCount(); g++) {
        if (m.group(g) != null) {
          into.putIfAbsent(m.group(g), line);
          break;
        }
      }
    }
  }

  private static String stripComment(String t, SourceFile.Kind kind) {
    String s = t.strip();
    if (kind == SourceFile.Kind.JAVASCRIPT) {
      return s.startsWith("//") || s.startsWith("*") || s.startsWith("/*") ? "" : t;
    }
    if (s.startsWith("#")) {
      return "";
    }
    if (kind == SourceFile.Kind.SHELL) {
      int i = t.indexOf(" #");
      return i >= 0 ? t.substring(0, i) : t;
    }
    return t;
  }

  private static String firstWord(String segment) {
    String s = segment.strip();
    // Skip heredoc/quoted text and variable assignments before the command.
    for (String w : s.split("\\s+")) {
      if (w.isEmpty()) {
        continue;
      }
      if (w.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
        if (w.chars().filter(c -> c == '"').count() % 2 == 1 || w.chars().filter(c -> c == '\'').count() % 2 == 1) {
          return null; // the value continues in quotes: the following words are not a command
        }
        continue;
      }
      if (w.matches("[a-z][a-z0-9._+-]*") && !w.endsWith(".") && w.length() <= 40) {
        return w;
      }
      return null;
    }
    return null;
  }

  private static boolean isLocalOrExample(String h) {
    String x = h.toLowerCase(Locale.ROOT);
    return x.equals("localhost") || x.startsWith("127.") || x.equals("0.0.0.0") || x.equals("[::1]")
        || x.equals("example.com") || x.endsWith(".example.com") || x.equals("example.org") || x.equals("example.net")
        || x.endsWith(".example") || x.endsWith(".test") || x.endsWith(".invalid") || x.endsWith(".local");
  }
}
