package dev.warden.kernel;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An effect on the world that the agent, a channel, a skill or a cron job wants to cause.
 *
 * <p>Complete mediation: nothing in Warden performs one of these effects except the executor the
 * {@link Kernel} runs after it has decided and recorded the action. The set is closed (sealed) so
 * that a new kind of effect cannot be added without the policy, the audit log and the UI learning
 * about it.
 *
 * <p>Action values hold no secrets: credentials appear only as names or placeholders.
 */
public sealed interface Action {

  /** Stable snake_case name used by policy ({@code Warden::Action::"file_write"}) and audit. */
  String kind();

  /** The thing acted on: a workspace path, a host, a credential name, a tool, a cron job. */
  String resource();

  /** One short line for people: {@code write MEMORY.md (212 bytes)}. */
  String describe();

  /** The fields recorded in the audit log (never secret values; bodies are summarised). */
  Map<String, Object> auditFields();

  /** Maximum characters of free text (bodies, messages, prompts) copied into an audit record. */
  int AUDIT_TEXT_PREVIEW_CHARS = 512;

  static String preview(String text) {
    if (text == null) {
      return "";
    }
    return text.length() <= AUDIT_TEXT_PREVIEW_CHARS
        ? text
        : text.substring(0, AUDIT_TEXT_PREVIEW_CHARS) + "…(" + text.length() + " chars)";
  }

  // ---------------------------------------------------------------------------------------------

  /** Run a command in the process sandbox (or on the host when the operator opted out). */
  record Exec(List<String> argv, String workingDirectory, boolean network) implements Action {
    public Exec {
      argv = List.copyOf(Objects.requireNonNull(argv, "argv"));
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("exec needs at least the program name");
      }
      Objects.requireNonNull(workingDirectory, "workingDirectory");
    }

    public String kind() {
      return "exec";
    }

    public String resource() {
      return argv.getFirst();
    }

    public String describe() {
      return "run " + String.join(" ", argv);
    }

    public Map<String, Object> auditFields() {
      return fields("argv", argv, "cwd", workingDirectory, "network", network);
    }
  }

  /** Read a file inside the workspace. */
  record FileRead(String path) implements Action {
    public FileRead {
      requireText(path, "path");
    }

    public String kind() {
      return "file_read";
    }

    public String resource() {
      return path;
    }

    public String describe() {
      return "read " + path;
    }

    public Map<String, Object> auditFields() {
      return fields("path", path);
    }
  }

  /** List a directory inside the workspace. */
  record FileList(String path) implements Action {
    public FileList {
      requireText(path, "path");
    }

    public String kind() {
      return "file_list";
    }

    public String resource() {
      return path;
    }

    public String describe() {
      return "list " + path;
    }

    public Map<String, Object> auditFields() {
      return fields("path", path);
    }
  }

  /**
   * Write (create or replace) a file inside the workspace. {@code previousContentOrNull} is filled
   * by the normaliser so that approvals can show the owner a diff.
   */
  record FileWrite(String path, String content, String previousContentOrNull) implements Action {
    public FileWrite {
      requireText(path, "path");
      Objects.requireNonNull(content, "content");
    }

    public FileWrite(String path, String content) {
      this(path, content, null);
    }

    public String kind() {
      return "file_write";
    }

    public String resource() {
      return path;
    }

    public String describe() {
      return "write " + path + " (" + content.length() + " chars)";
    }

    public Map<String, Object> auditFields() {
      return fields(
          "path", path,
          "chars", content.length(),
          "sha256", Hashing.sha256Hex(content),
          "preview", preview(content));
    }
  }

  /** An HTTP request leaving the host: web_fetch, http_request, or a sandbox through the proxy. */
  record Egress(String method, URI url, Map<String, String> headers, String bodyOrNull, String via,
      String pinnedAddressOrNull) implements Action {

    /** An egress request not yet normalised: the normaliser resolves the host once and pins the address. */
    public Egress(String method, URI url, Map<String, String> headers, String bodyOrNull, String via) {
      this(method, url, headers, bodyOrNull, via, null);
    }

    /** The same request, pinned to the address that was checked (connect to exactly this one). */
    public Egress pinnedTo(String address) {
      return new Egress(method, url, headers, bodyOrNull, via, address);
    }

    public Egress {
      requireText(method, "method");
      method = method.toUpperCase(java.util.Locale.ROOT);
      Objects.requireNonNull(url, "url");
      if (url.getHost() == null) {
        throw new IllegalArgumentException("egress URL has no host: " + url);
      }
      headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
      requireText(via, "via");
    }

    public String host() {
      return url.getHost().toLowerCase(java.util.Locale.ROOT);
    }

    public int port() {
      if (url.getPort() != -1) {
        return url.getPort();
      }
      return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    public String kind() {
      return "egress";
    }

    public String resource() {
      return host();
    }

    public String describe() {
      return method + " " + url + (bodyOrNull == null ? "" : " with a " + bodyOrNull.length() + "-char body");
    }

    public Map<String, Object> auditFields() {
      return fields(
          "method", method,
          "url", url.toString(),
          "host", host(),
          "port", port(),
          "header_names", List.copyOf(new java.util.TreeSet<>(headers.keySet())),
          "body_chars", bodyOrNull == null ? 0 : bodyOrNull.length(),
          "via", via,
          "address", pinnedAddressOrNull);
    }
  }

  /** Search the agent's memory. Recalled entries carry their own labels into the context. */
  record MemoryRead(String query) implements Action {
    public MemoryRead {
      Objects.requireNonNull(query, "query");
    }

    public String kind() {
      return "memory_read";
    }

    public String resource() {
      return "memory";
    }

    public String describe() {
      return "search memory for \"" + preview(query) + "\"";
    }

    public Map<String, Object> auditFields() {
      return fields("query", preview(query));
    }
  }

  /** Persist a memory entry (MEMORY.md or a daily file). Persistent instructions: high risk. */
  record MemoryWrite(String file, String text) implements Action {
    public MemoryWrite {
      requireText(file, "file");
      Objects.requireNonNull(text, "text");
    }

    public String kind() {
      return "memory_write";
    }

    public String resource() {
      return file;
    }

    public String describe() {
      return "remember in " + file + ": \"" + preview(text) + "\"";
    }

    public Map<String, Object> auditFields() {
      return fields("file", file, "chars", text.length(), "preview", preview(text));
    }
  }

  /** Send a message through a channel to a recipient. */
  record MessageSend(String channel, String recipient, String text) implements Action {
    public MessageSend {
      requireText(channel, "channel");
      requireText(recipient, "recipient");
      Objects.requireNonNull(text, "text");
    }

    public String kind() {
      return "message_send";
    }

    public String resource() {
      return channel + ":" + recipient;
    }

    public String describe() {
      return "send a message to " + recipient + " on " + channel;
    }

    public Map<String, Object> auditFields() {
      return fields("channel", channel, "recipient", recipient, "preview", preview(text));
    }
  }

  /** Install, update or remove a skill. */
  record SkillInstall(String operation, String name, String source, String versionOrNull) implements Action {
    public SkillInstall {
      if (!List.of("install", "update", "remove").contains(operation)) {
        throw new IllegalArgumentException("skill operation must be install, update or remove, got: " + operation);
      }
      requireText(name, "name");
      requireText(source, "source");
    }

    public String kind() {
      return "skill_install";
    }

    public String resource() {
      return name;
    }

    public String describe() {
      return operation + " skill " + name + " from " + source;
    }

    public Map<String, Object> auditFields() {
      return fields("operation", operation, "name", name, "source", source, "version", versionOrNull);
    }
  }

  /** Run one of a skill's scripts in the sandbox with the skill's manifest. */
  record SkillRun(String skill, String script, List<String> args) implements Action {
    public SkillRun {
      requireText(skill, "skill");
      requireText(script, "script");
      args = List.copyOf(args);
    }

    public String kind() {
      return "skill_run";
    }

    public String resource() {
      return skill;
    }

    public String describe() {
      return "run " + script + " of skill " + skill;
    }

    public Map<String, Object> auditFields() {
      return fields("skill", skill, "script", script, "args", args);
    }
  }

  /** Call a tool provided outside the kernel's built-ins: an MCP server's tool or a WASM tool. */
  record ToolCall(String provider, String tool, Map<String, Object> arguments) implements Action {
    public ToolCall {
      requireText(provider, "provider");
      requireText(tool, "tool");
      arguments = Map.copyOf(arguments);
    }

    public String kind() {
      return "tool_call";
    }

    public String resource() {
      return provider + "/" + tool;
    }

    public String describe() {
      return "call " + tool + " on " + provider;
    }

    public Map<String, Object> auditFields() {
      return fields("provider", provider, "tool", tool, "argument_names", List.copyOf(new java.util.TreeSet<>(arguments.keySet())));
    }
  }

  /** Create a scheduled job. Persistence: high risk. */
  record CronCreate(String name, String schedule, String prompt) implements Action {
    public CronCreate {
      requireText(name, "name");
      requireText(schedule, "schedule");
      Objects.requireNonNull(prompt, "prompt");
    }

    public String kind() {
      return "cron_create";
    }

    public String resource() {
      return name;
    }

    public String describe() {
      return "schedule \"" + name + "\" (" + schedule + "): " + preview(prompt);
    }

    public Map<String, Object> auditFields() {
      return fields("name", name, "schedule", schedule, "prompt", preview(prompt));
    }
  }

  /** List scheduled jobs (a read of Warden's own state; recorded like every other action). */
  record CronList() implements Action {
    public String kind() {
      return "cron_list";
    }

    public String resource() {
      return "cron";
    }

    public String describe() {
      return "list scheduled jobs";
    }

    public Map<String, Object> auditFields() {
      return Map.of();
    }
  }

  /** Delete a scheduled job. */
  record CronDelete(String name) implements Action {
    public CronDelete {
      requireText(name, "name");
    }

    public String kind() {
      return "cron_delete";
    }

    public String resource() {
      return name;
    }

    public String describe() {
      return "delete scheduled job " + name;
    }

    public Map<String, Object> auditFields() {
      return fields("name", name);
    }
  }

  /** Change Warden's configuration (desired state). */
  record ConfigChange(String key, String value) implements Action {
    public ConfigChange {
      requireText(key, "key");
      Objects.requireNonNull(value, "value");
    }

    public String kind() {
      return "config_change";
    }

    public String resource() {
      return key;
    }

    public String describe() {
      return "set config " + key;
    }

    public Map<String, Object> auditFields() {
      return fields("key", key, "value", preview(value));
    }
  }

  /** Use a vault credential toward a host (injected by the egress proxy). */
  record CredentialUse(String credential, String host, String scopeOrNull) implements Action {
    public CredentialUse {
      requireText(credential, "credential");
      requireText(host, "host");
    }

    public String kind() {
      return "credential_use";
    }

    public String resource() {
      return credential;
    }

    public String describe() {
      return "use credential " + credential + " toward " + host;
    }

    public Map<String, Object> auditFields() {
      return fields("credential", credential, "host", host, "scope", scopeOrNull);
    }
  }

  /** The owner answering an approval request. Recorded like any other action. */
  record ApprovalAnswer(String approvalId, boolean granted, GrantScope scope, Duration durationOrNull) implements Action {
    public ApprovalAnswer {
      requireText(approvalId, "approvalId");
      Objects.requireNonNull(scope, "scope");
      if (scope == GrantScope.FOR_DURATION && (durationOrNull == null || durationOrNull.isNegative() || durationOrNull.isZero())) {
        throw new IllegalArgumentException("a timed grant needs a positive duration");
      }
    }

    public String kind() {
      return "approval_answer";
    }

    public String resource() {
      return approvalId;
    }

    public String describe() {
      return (granted ? "grant " : "deny ") + approvalId + (granted ? " (" + scope.label(durationOrNull) + ")" : "");
    }

    public Map<String, Object> auditFields() {
      return fields("approval", approvalId, "granted", granted, "scope", scope.name().toLowerCase(),
          "duration_seconds", durationOrNull == null ? null : durationOrNull.toSeconds());
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static void requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  /** Ordered map that keeps nulls out (absent fields are simply not recorded). */
  private static Map<String, Object> fields(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] != null) {
        m.put((String) kv[i], kv[i + 1]);
      }
    }
    return m;
  }
}
