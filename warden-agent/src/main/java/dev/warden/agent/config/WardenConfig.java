package dev.warden.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * {@code warden.yaml}: the desired state. Every key is optional; the embedded defaults run Warden
 * offline with the scripted model, the bubblewrap sandbox and a loopback-only gateway.
 *
 * <pre>
 * model: scripted:/path/to/script.yaml      # or openai:MODEL, anthropic:MODEL, failover:A|B
 * sandbox: bwrap                            # or host (unprotected; audited on every use)
 * gateway: { bind: 127.0.0.1, port: 7788 }
 * allow_hosts: [ 127.0.0.1 ]                # private/loopback hosts the destination guard lets pass
 * budgets: { max_steps: 12, max_tokens: 200000 }
 * approvals: { wait_seconds: 0, ttl_minutes: 30 }
 * owner: { id: owner }
 * monitor: { … }                            # see docs/monitoring.md
 * </pre>
 */
public record WardenConfig(
    String modelSpecOrNull,
    String sandbox,
    String gatewayBind,
    int gatewayPort,
    List<String> allowHosts,
    int maxSteps,
    int maxTokens,
    Duration approvalWait,
    Duration approvalTtl,
    String ownerId,
    Map<String, Object> monitor,
    Map<String, Object> raw) {

  public static final int DEFAULT_PORT = 7788;
  public static final int DEFAULT_MAX_STEPS = 12;
  public static final int DEFAULT_MAX_TOKENS = 200_000;
  public static final Set<String> SANDBOX_MODES = Set.of("bwrap", "host");
  private static final Set<String> KNOWN_KEYS = Set.of("model", "sandbox", "gateway", "allow_hosts", "budgets",
      "approvals", "owner", "monitor", "channels", "mcp", "skills", "registry", "snapshots");

  public WardenConfig {
    allowHosts = List.copyOf(allowHosts);
    monitor = Map.copyOf(monitor);
    raw = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(raw));
  }

  public static WardenConfig defaults() {
    return new WardenConfig(null, "bwrap", "127.0.0.1", DEFAULT_PORT, List.of(), DEFAULT_MAX_STEPS, DEFAULT_MAX_TOKENS,
        Duration.ZERO, Duration.ofMinutes(30), "owner", Map.of(), Map.of());
  }

  public boolean insecureHostSandbox() {
    return "host".equals(sandbox);
  }

  public WardenConfig withModel(String spec) {
    return new WardenConfig(spec, sandbox, gatewayBind, gatewayPort, allowHosts, maxSteps, maxTokens, approvalWait,
        approvalTtl, ownerId, monitor, raw);
  }

  public WardenConfig withAllowHosts(List<String> more) {
    List<String> all = new ArrayList<>(allowHosts);
    all.addAll(more);
    return new WardenConfig(modelSpecOrNull, sandbox, gatewayBind, gatewayPort, all, maxSteps, maxTokens, approvalWait,
        approvalTtl, ownerId, monitor, raw);
  }

  public WardenConfig withPort(int port) {
    return new WardenConfig(modelSpecOrNull, sandbox, gatewayBind, port, allowHosts, maxSteps, maxTokens, approvalWait,
        approvalTtl, ownerId, monitor, raw);
  }

  public WardenConfig withApprovalWait(Duration d) {
    return new WardenConfig(modelSpecOrNull, sandbox, gatewayBind, gatewayPort, allowHosts, maxSteps, maxTokens, d,
        approvalTtl, ownerId, monitor, raw);
  }

  /** Loads {@code file}; a missing file gives the defaults. Errors name the file and the key. */
  public static WardenConfig load(Path file) throws ConfigException {
    if (!Files.exists(file)) {
      return defaults();
    }
    Object root;
    try {
      root = new Load(LoadSettings.builder().setLabel(file.toString()).setAllowDuplicateKeys(false).build())
          .loadFromString(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    } catch (YamlEngineException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
    }
    if (root == null) {
      return defaults();
    }
    if (!(root instanceof Map<?, ?> m)) {
      throw new ConfigException(file + ": the top level must be a mapping of keys (model:, sandbox:, …)");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    m.forEach((k, v) -> map.put(String.valueOf(k), v));
    for (String k : map.keySet()) {
      if (!KNOWN_KEYS.contains(k)) {
        throw new ConfigException(file + ": unknown key '" + k + "' (known: " + new java.util.TreeSet<>(KNOWN_KEYS) + ")");
      }
    }
    WardenConfig d = defaults();
    String sandbox = str(map, "sandbox", d.sandbox(), file);
    if (!SANDBOX_MODES.contains(sandbox)) {
      throw new ConfigException(file + ": sandbox must be 'bwrap' or 'host', got '" + sandbox + "'");
    }
    Map<String, Object> gw = sub(map, "gateway", file);
    Map<String, Object> budgets = sub(map, "budgets", file);
    Map<String, Object> approvals = sub(map, "approvals", file);
    Map<String, Object> owner = sub(map, "owner", file);
    return new WardenConfig(
        str(map, "model", null, file),
        sandbox,
        str(gw, "bind", d.gatewayBind(), file),
        num(gw, "port", d.gatewayPort(), file, "gateway.port"),
        strList(map, "allow_hosts", file),
        num(budgets, "max_steps", d.maxSteps(), file, "budgets.max_steps"),
        num(budgets, "max_tokens", d.maxTokens(), file, "budgets.max_tokens"),
        Duration.ofSeconds(num(approvals, "wait_seconds", 0, file, "approvals.wait_seconds")),
        Duration.ofMinutes(num(approvals, "ttl_minutes", 30, file, "approvals.ttl_minutes")),
        str(owner, "id", d.ownerId(), file),
        sub(map, "monitor", file),
        map);
  }

  private static String str(Map<String, Object> m, String key, String dflt, Path file) throws ConfigException {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Map || v instanceof List) {
      throw new ConfigException(file + ": '" + key + "' must be a string, got " + v);
    }
    return v.toString();
  }

  private static int num(Map<String, Object> m, String key, int dflt, Path file, String path) throws ConfigException {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n && n.longValue() >= 0 && n.longValue() <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    throw new ConfigException(file + ": '" + path + "' must be a non-negative integer, got '" + v + "'");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> sub(Map<String, Object> m, String key, Path file) throws ConfigException {
    Object v = m.get(key);
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map)) {
      throw new ConfigException(file + ": '" + key + "' must be a mapping, got '" + v + "'");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    ((Map<Object, Object>) v).forEach((k, x) -> out.put(String.valueOf(k), x));
    return out;
  }

  private static List<String> strList(Map<String, Object> m, String key, Path file) throws ConfigException {
    Object v = m.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      throw new ConfigException(file + ": '" + key + "' must be a list, got '" + v + "'");
    }
    return l.stream().map(String::valueOf).toList();
  }
}
