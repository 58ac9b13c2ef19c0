package dev.warden.policy;

import dev.warden.kernel.Action;
import dev.warden.kernel.GrantScope;
import dev.warden.kernel.Label;
import dev.warden.kernel.Principal;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The file {@code warden policy test FILE} reads: a YAML list of cases, each an action with the
 * principal, context label and facts it is decided under, and optionally the verdict expected.
 * See docs/policy.md for the format; {@code policies/examples/default-policy-test.yaml} on the
 * classpath exercises every default rule.
 *
 * <pre>{@code
 * cases:
 *   - name: tainted session posts to a new host
 *     principal: owner                       # owner | operator | system | KIND:ID
 *     label: {integrity: untrusted, confidentiality: private, sources: [owner, web:example.org]}
 *     action: {kind: egress, method: POST, url: "https://collector.example/up", body: "x"}
 *     facts: {destination: public}
 *     expect: ask                            # allow | deny | ask (optional)
 * }</pre>
 *
 * <p>Parsing is strict: unknown fields, unknown kinds and missing required fields are errors that
 * name the case and the field, so a typo cannot turn a test into one that checks nothing.
 */
public record PolicyTestFile(String sourceName, List<Case> cases) {

  /** Largest file accepted. */
  public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
  /** Most cases accepted in one file. */
  public static final int MAX_CASES = 10_000;
  /** YAML aliases allowed per file (bounds "billion laughs" expansion). */
  public static final int MAX_YAML_ALIASES = 50;

  public PolicyTestFile {
    Objects.requireNonNull(sourceName, "sourceName");
    cases = List.copyOf(cases);
  }

  /**
   * One dry-run case.
   *
   * @param expectOrNull {@code allow}, {@code deny} or {@code ask}; null when the case only prints
   */
  public record Case(String name, Principal principal, Label label, Set<String> capabilities, Action action,
      Map<String, Object> facts, @Nullable String expectOrNull) {
    public Case {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(label, "label");
      capabilities = Set.copyOf(capabilities);
      Objects.requireNonNull(action, "action");
      facts = Map.copyOf(facts);
    }
  }

  /** Action kinds a test file can describe, with their fields (required ones first). */
  public static final Map<String, List<String>> ACTION_FIELDS = actionFields();

  private static Map<String, List<String>> actionFields() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("exec", List.of("argv", "working_directory", "network"));
    m.put("file_read", List.of("path"));
    m.put("file_list", List.of("path"));
    m.put("file_write", List.of("path", "content", "previous_content"));
    m.put("egress", List.of("url", "method", "headers", "body", "via"));
    m.put("memory_read", List.of("query"));
    m.put("memory_write", List.of("file", "text"));
    m.put("message_send", List.of("channel", "recipient", "text"));
    m.put("skill_install", List.of("name", "source", "operation", "version"));
    m.put("skill_run", List.of("skill", "script", "args"));
    m.put("tool_call", List.of("provider", "tool", "arguments"));
    m.put("cron_create", List.of("name", "schedule", "prompt"));
    m.put("cron_delete", List.of("name"));
    m.put("cron_list", List.of());
    m.put("config_change", List.of("key", "value"));
    m.put("credential_use", List.of("credential", "host", "scope"));
    m.put("approval_answer", List.of("approval_id", "granted", "scope", "duration_minutes"));
    return java.util.Collections.unmodifiableMap(m);
  }

  public static PolicyTestFile parse(Path file) throws PolicyTestFileException {
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new PolicyTestFileException(file + ": " + size + " bytes is more than the " + MAX_FILE_BYTES
            + " a policy test file may have; split it into several files", null, null);
      }
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new PolicyTestFileException(file + ": cannot read the file: " + e.getMessage(), null, null);
    }
  }

  public static PolicyTestFile parse(String yaml, String sourceName) throws PolicyTestFileException {
    Object root;
    try {
      LoadSettings settings = LoadSettings.builder()
          .setLabel(sourceName)
          .setAllowDuplicateKeys(false)
          .setMaxAliasesForCollections(MAX_YAML_ALIASES)
          .setCodePointLimit(MAX_FILE_BYTES)
          .build();
      root = new Load(settings).loadFromString(yaml);
    } catch (YamlEngineException e) {
      throw new PolicyTestFileException(sourceName + ": not valid YAML: " + e.getMessage(), null, null);
    }
    Object list = root;
    if (root instanceof Map<?, ?> m) {
      Set<Object> extra = new HashSet<>(m.keySet());
      extra.remove("cases");
      if (!extra.isEmpty() || !m.containsKey("cases")) {
        throw new PolicyTestFileException(sourceName + ": the top level must be a list of cases or a mapping with only"
            + " `cases:`, found keys " + m.keySet(), null, null);
      }
      list = m.get("cases");
    }
    if (!(list instanceof List<?> items)) {
      throw new PolicyTestFileException(sourceName + ": expected a list of cases (see docs/policy.md), found "
          + describe(list), null, null);
    }
    if (items.size() > MAX_CASES) {
      throw new PolicyTestFileException(sourceName + ": " + items.size() + " cases is more than the " + MAX_CASES
          + " allowed in one file; split it", null, null);
    }
    List<Case> cases = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      Case c = parseCase(sourceName, i + 1, items.get(i));
      if (!names.add(c.name())) {
        throw new PolicyTestFileException(sourceName + ": case \"" + c.name() + "\": name: used by an earlier case;"
            + " names must be unique so results can be matched to cases", c.name(), "name");
      }
      cases.add(c);
    }
    return new PolicyTestFile(sourceName, cases);
  }

  // ---------------------------------------------------------------------------------------------

  private static Case parseCase(String source, int index, Object item) throws PolicyTestFileException {
    String placeholder = "#" + index;
    if (!(item instanceof Map<?, ?> raw)) {
      throw new PolicyTestFileException(source + ": case " + placeholder + ": expected a mapping with name, principal,"
          + " label, action, found " + describe(item), placeholder, null);
    }
    Object nameValue = raw.get("name");
    String name = (nameValue instanceof String || nameValue instanceof Number) && !nameValue.toString().isBlank()
        ? nameValue.toString() : placeholder;
    Fields f = new Fields(source, name, "", raw);
    f.requiredString("name");
    Principal principal = principal(f);
    Label label = label(f.sub("label"));
    Set<String> capabilities = new TreeSet<>(f.stringList("capabilities", List.of()));
    Action action = action(f.sub("action"));
    Map<String, Object> facts = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : f.map("facts").entrySet()) {
      facts.put(e.getKey(), e.getValue() instanceof Integer n ? Long.valueOf(n) : e.getValue());
    }
    String expect = f.optionalString("expect", null);
    if (expect != null && !Set.of("allow", "deny", "ask").contains(expect)) {
      throw f.error("expect", "must be allow, deny or ask, got \"" + expect + "\"");
    }
    f.finish();
    return new Case(name, principal, label, capabilities, action, facts, expect);
  }

  private static Principal principal(Fields f) throws PolicyTestFileException {
    Object v = f.take("principal");
    if (v == null) {
      throw f.error("principal", "missing; write owner, operator, system, or KIND:ID such as stranger:telegram:42");
    }
    if (v instanceof Map<?, ?> m) {
      Fields p = f.child("principal", m);
      Principal out = principal(p, p.requiredString("kind"), p.requiredString("id"));
      p.finish();
      return out;
    }
    if (!(v instanceof String s)) {
      throw f.error("principal", "expected a string such as owner or contact:alice, found " + describe(v));
    }
    return switch (s) {
      case "owner" -> Principal.owner();
      case "operator" -> Principal.operator();
      case "system" -> Principal.system();
      default -> {
        int colon = s.indexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
          throw f.error("principal", "\"" + s + "\" is not owner, operator, system or KIND:ID");
        }
        yield principal(f, s.substring(0, colon), s.substring(colon + 1));
      }
    };
  }

  private static Principal principal(Fields f, String kind, String id) throws PolicyTestFileException {
    Principal.Kind k;
    try {
      k = Principal.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw f.error("principal", "unknown principal kind \"" + kind + "\"; known: "
          + java.util.Arrays.stream(Principal.Kind.values()).map(x -> x.name().toLowerCase(Locale.ROOT)).toList());
    }
    return new Principal(k, id);
  }

  private static Label label(Fields l) throws PolicyTestFileException {
    String integrity = l.requiredString("integrity");
    Label.Integrity i = switch (integrity) {
      case "trusted" -> Label.Integrity.TRUSTED;
      case "untrusted" -> Label.Integrity.UNTRUSTED;
      default -> throw l.error("integrity", "must be trusted or untrusted, got \"" + integrity + "\"");
    };
    String conf = l.optionalString("confidentiality", "private");
    Label.Confidentiality c = switch (conf) {
      case "public" -> Label.Confidentiality.PUBLIC;
      case "private" -> Label.Confidentiality.PRIVATE;
      case "secret" -> Label.Confidentiality.SECRET;
      default -> throw l.error("confidentiality", "must be public, private or secret, got \"" + conf + "\"");
    };
    List<String> sources = l.stringList("sources", List.of());
    l.finish();
    try {
      return new Label(i, c, new TreeSet<>(sources));
    } catch (IllegalArgumentException e) {
      throw l.error("sources", e.getMessage());
    }
  }

  private static Action action(Fields a) throws PolicyTestFileException {
    String kind = a.requiredString("kind");
    if (!ACTION_FIELDS.containsKey(kind)) {
      throw a.error("kind", "unknown action kind \"" + kind + "\"; known: " + ACTION_FIELDS.keySet());
    }
    try {
      Action action = switch (kind) {
        case "exec" -> new Action.Exec(a.requiredStringList("argv"), a.optionalString("working_directory", "."),
            a.bool("network", false));
        case "file_read" -> new Action.FileRead(a.requiredString("path"));
        case "file_list" -> new Action.FileList(a.requiredString("path"));
        case "file_write" -> new Action.FileWrite(a.requiredString("path"), a.optionalString("content", ""),
            a.optionalString("previous_content", null));
        case "egress" -> egress(a);
        case "memory_read" -> new Action.MemoryRead(a.optionalString("query", ""));
        case "memory_write" -> new Action.MemoryWrite(a.requiredString("file"), a.optionalString("text", ""));
        case "message_send" -> new Action.MessageSend(a.requiredString("channel"), a.requiredString("recipient"),
            a.optionalString("text", ""));
        case "skill_install" -> new Action.SkillInstall(a.optionalString("operation", "install"), a.requiredString("name"),
            a.requiredString("source"), a.optionalString("version", null));
        case "skill_run" -> new Action.SkillRun(a.requiredString("skill"), a.requiredString("script"),
            a.stringList("args", List.of()));
        case "tool_call" -> new Action.ToolCall(a.requiredString("provider"), a.requiredString("tool"), a.map("arguments"));
        case "cron_create" -> new Action.CronCreate(a.requiredString("name"), a.requiredString("schedule"),
            a.optionalString("prompt", ""));
        case "cron_delete" -> new Action.CronDelete(a.requiredString("name"));
        case "cron_list" -> new Action.CronList();
        case "config_change" -> new Action.ConfigChange(a.requiredString("key"), a.optionalString("value", ""));
        case "credential_use" -> new Action.CredentialUse(a.requiredString("credential"), a.requiredString("host"),
            a.optionalString("scope", null));
        case "approval_answer" -> approval(a);
        default -> throw new IllegalStateException("kind listed in ACTION_FIELDS but not built: " + kind);
      };
      a.finish();
      return action;
    } catch (IllegalArgumentException e) {
      throw a.error(null, "invalid " + kind + " action: " + e.getMessage());
    }
  }

  private static Action egress(Fields a) throws PolicyTestFileException {
    String url = a.requiredString("url");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw a.error("url", "not a URL: " + e.getMessage());
    }
    if (uri.getHost() == null) {
      throw a.error("url", "\"" + url + "\" has no host; write a full URL such as https://example.org/path");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : a.map("headers").entrySet()) {
      headers.put(e.getKey(), String.valueOf(e.getValue()));
    }
    return new Action.Egress(a.optionalString("method", "GET"), uri, headers, a.optionalString("body", null),
        a.optionalString("via", "http_request"));
  }

  private static Action approval(Fields a) throws PolicyTestFileException {
    String scope = a.optionalString("scope", "once");
    GrantScope s;
    try {
      s = GrantScope.valueOf(scope.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw a.error("scope", "must be once, session or for_duration, got \"" + scope + "\"");
    }
    Object minutes = a.take("duration_minutes");
    Duration d = null;
    if (minutes != null) {
      if (!(minutes instanceof Number n)) {
        throw a.error("duration_minutes", "expected a number, found " + describe(minutes));
      }
      d = Duration.ofMinutes(n.longValue());
    }
    return new Action.ApprovalAnswer(a.requiredString("approval_id"), a.bool("granted", true), s, d);
  }

  private static String describe(@Nullable Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof Map<?, ?>) {
      return "a mapping";
    }
    if (v instanceof List<?>) {
      return "a list";
    }
    return v.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + v;
  }

  /** A YAML mapping being read field by field; {@link #finish} rejects fields nobody read. */
  private static final class Fields {
    private final String source;
    private final String caseName;
    private final String prefix;
    private final Map<?, ?> raw;
    private final Set<Object> taken = new HashSet<>();

    Fields(String source, String caseName, String prefix, Map<?, ?> raw) {
      this.source = source;
      this.caseName = caseName;
      this.prefix = prefix;
      this.raw = raw;
    }

    PolicyTestFileException error(@Nullable String field, String problem) {
      String path = field == null ? (prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1)) : prefix + field;
      return new PolicyTestFileException(source + ": case \"" + caseName + "\": " + (path == null ? "" : path + ": ")
          + problem, caseName, path);
    }

    @Nullable Object take(String field) {
      taken.add(field);
      return raw.get(field);
    }

    Fields child(String field, Map<?, ?> m) {
      return new Fields(source, caseName, prefix + field + ".", m);
    }

    Fields sub(String field) throws PolicyTestFileException {
      Object v = take(field);
      if (v == null) {
        throw error(field, "missing");
      }
      if (!(v instanceof Map<?, ?> m)) {
        throw error(field, "expected a mapping, found " + describe(v));
      }
      return child(field, m);
    }

    String requiredString(String field) throws PolicyTestFileException {
      String s = optionalString(field, null);
      if (s == null || s.isBlank()) {
        throw error(field, "missing");
      }
      return s;
    }

    @Nullable String optionalString(String field, @Nullable String fallback) throws PolicyTestFileException {
      Object v = take(field);
      if (v == null) {
        return fallback;
      }
      if (v instanceof String || v instanceof Number || v instanceof Boolean) {
        return v.toString();
      }
      throw error(field, "expected a string, found " + describe(v));
    }

    boolean bool(String field, boolean fallback) throws PolicyTestFileException {
      Object v = take(field);
      if (v == null) {
        return fallback;
      }
      if (v instanceof Boolean b) {
        return b;
      }
      throw error(field, "expected true or false, found " + describe(v));
    }

    List<String> stringList(String field, List<String> fallback) throws PolicyTestFileException {
      Object v = take(field);
      if (v == null) {
        return fallback;
      }
      if (!(v instanceof List<?> l)) {
        throw error(field, "expected a list of strings, found " + describe(v));
      }
      List<String> out = new ArrayList<>();
      for (Object o : l) {
        if (!(o instanceof String || o instanceof Number) ) {
          throw error(field, "expected a list of strings, found an item that is " + describe(o));
        }
        out.add(o.toString());
      }
      return out;
    }

    List<String> requiredStringList(String field) throws PolicyTestFileException {
      List<String> l = stringList(field, List.of());
      if (l.isEmpty()) {
        throw error(field, "missing (a non-empty list)");
      }
      return l;
    }

    Map<String, Object> map(String field) throws PolicyTestFileException {
      Object v = take(field);
      if (v == null) {
        return Map.of();
      }
      if (!(v instanceof Map<?, ?> m)) {
        throw error(field, "expected a mapping, found " + describe(v));
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw error(field, "keys must be strings, found " + describe(e.getKey()));
        }
        if (e.getValue() == null) {
          throw error(field + "." + k, "has no value");
        }
        out.put(k, e.getValue());
      }
      return out;
    }

    void finish() throws PolicyTestFileException {
      for (Object k : raw.keySet()) {
        if (!taken.contains(k)) {
          throw error(String.valueOf(k), "unknown field; "
              + (prefix.equals("action.") ? "this kind has " + ACTION_FIELDS.getOrDefault(String.valueOf(raw.get("kind")), List.of())
                  + " besides kind" : "see docs/policy.md for the format"));
        }
      }
    }
  }
}
