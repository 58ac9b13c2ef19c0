package dev.warden.agent.exec;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.agent.model.ToolSpec;
import dev.warden.agent.tools.Tool;
import dev.warden.agent.tools.ToolArgumentException;
import dev.warden.egress.DestinationDeniedException;
import dev.warden.egress.GuardedHttpClient;
import dev.warden.kernel.Action;
import dev.warden.kernel.ActionExecutor;
import dev.warden.kernel.Decision;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.Label;
import dev.warden.kernel.SessionContext;
import dev.warden.sandbox.SandboxResult;
import dev.warden.sandbox.WasmHttpResponse;
import dev.warden.sandbox.WasmLimits;
import dev.warden.sandbox.WasmSandbox;
import dev.warden.sandbox.WasmToolSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * WASM tools: {@code WARDEN_HOME/tools/<name>/tool.yaml} plus its module, run by Chicory in the
 * WASM sandbox (WASI with no directory unless the manifest declares one, fuel, wall-time and memory
 * caps). A module's only way out is the {@code warden.http_request} host function, and every such
 * request is an egress action the kernel decides as the calling session; the response is
 * untrusted and taints the session.
 *
 * <pre>
 * name: wordcount
 * description: Counts words in the input.
 * module: tool.wasm
 * parameters: { type: object, properties: { input: { type: string } } }
 * directories: [ { path: data, guest: /data } ]     # workspace-relative, optional
 * limits: { fuel: 200000000, wall_seconds: 10, memory_pages: 256 }
 * </pre>
 *
 * The {@code input} argument (a string) is the module's standard input; all arguments are in the
 * environment as {@code WARDEN_ARGS} (JSON).
 */
public final class WasmTools {

  public static final String PROVIDER_PREFIX = "wasm:";
  /** Largest HTTP response handed back to a module. */
  public static final int MAX_HTTP_RESPONSE_BYTES = 1024 * 1024;

  public record Manifest(String name, String description, Path module, Map<String, Object> parameters,
      List<WasmToolSpec.Directory> directories, WasmLimits limits) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Manifest> tools = new LinkedHashMap<>();
  private final Workspace workspace;
  private final Kernel kernel;
  private final GuardedHttpClient http;

  public WasmTools(Workspace workspace, Kernel kernel, GuardedHttpClient http) {
    this.workspace = workspace;
    this.kernel = kernel;
    this.http = http;
  }

  /** Loads every {@code tools/<name>/tool.yaml} under {@code dir}; a bad manifest is skipped with an audit event. */
  public List<Manifest> load(Path dir) throws IOException {
    List<Manifest> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> st = Files.list(dir).sorted()) {
      for (Path d : (Iterable<Path>) st::iterator) {
        Path y = d.resolve("tool.yaml");
        if (!Files.isRegularFile(y)) {
          continue;
        }
        try {
          Manifest m = parse(y);
          tools.put(m.name(), m);
          out.add(m);
        } catch (IOException | RuntimeException e) {
          kernel.recordEvent("tool", "wasm_manifest_refused", null, Map.of("file", y.toString(), "error", String.valueOf(e.getMessage())));
        }
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  Manifest parse(Path yaml) throws IOException {
    Object o = new Load(LoadSettings.builder().setLabel(yaml.toString()).build()).loadFromString(Files.readString(yaml));
    if (!(o instanceof Map<?, ?> m)) {
      throw new IOException(yaml + ": must be a mapping");
    }
    String name = String.valueOf(m.get("name"));
    if (!name.matches("[a-z0-9][a-z0-9_-]{0,40}")) {
      throw new IOException(yaml + ": name must match [a-z0-9][a-z0-9_-]{0,40}, got '" + name + "'");
    }
    Path module = yaml.getParent().resolve(String.valueOf(m.get("module") == null ? "tool.wasm" : m.get("module"))).normalize();
    if (!module.startsWith(yaml.getParent()) || !Files.isRegularFile(module)) {
      throw new IOException(yaml + ": module " + module + " is missing or outside the tool's folder");
    }
    List<WasmToolSpec.Directory> dirs = new ArrayList<>();
    if (m.get("directories") instanceof List<?> l) {
      for (Object x : l) {
        Map<String, Object> dm = (Map<String, Object>) x;
        try {
          dirs.add(new WasmToolSpec.Directory(workspace.resolve(String.valueOf(dm.get("path"))), String.valueOf(dm.get("guest"))));
        } catch (dev.warden.kernel.WardenSecurityException e) {
          throw new IOException(yaml + ": directory " + dm.get("path") + ": " + e.getMessage());
        }
      }
    }
    WasmLimits limits = WasmLimits.DEFAULT;
    if (m.get("limits") instanceof Map<?, ?> lm) {
      if (lm.get("fuel") instanceof Number n) {
        limits = limits.withFuelInstructions(n.longValue());
      }
      if (lm.get("wall_seconds") instanceof Number n) {
        limits = limits.withWallTime(Duration.ofSeconds(n.longValue()));
      }
      if (lm.get("memory_pages") instanceof Number n) {
        limits = limits.withMaxMemoryPages(n.intValue());
      }
    }
    Map<String, Object> params = m.get("parameters") instanceof Map<?, ?> pm ? (Map<String, Object>) pm
        : Map.of("type", "object", "properties", Map.of("input", Map.of("type", "string")));
    return new Manifest(name, String.valueOf(m.get("description")), module, params, dirs, limits);
  }

  /** The model-facing tools, one per loaded module. */
  public List<Tool> tools() {
    List<Tool> out = new ArrayList<>();
    for (Manifest m : tools.values()) {
      ToolSpec spec = new ToolSpec("wasm__" + m.name(), "[WASM tool] " + m.description(), m.parameters());
      out.add(new Tool() {
        @Override
        public ToolSpec spec() {
          return spec;
        }

        @Override
        public Action toAction(Map<String, Object> arguments) throws ToolArgumentException {
          return new Action.ToolCall(PROVIDER_PREFIX + m.name(), m.name(), arguments == null ? Map.of() : arguments);
        }
      });
    }
    return out;
  }

  public ActionExecutor.Result execute(Action.ToolCall a, SessionContext s) throws Exception {
    Manifest m = tools.get(a.provider().substring(PROVIDER_PREFIX.length()));
    if (m == null) {
      throw new IllegalArgumentException("no WASM tool " + a.provider());
    }
    AtomicBoolean network = new AtomicBoolean();
    WasmSandbox box = WasmSandbox.create(req -> {
      network.set(true);
      try {
        Action.Egress e = new Action.Egress(req.method(), URI.create(req.url()), req.headers(),
            req.body().length == 0 ? null : new String(req.body(), java.nio.charset.StandardCharsets.UTF_8), a.provider());
        Decision d = kernel.authorize(e, s);
        if (!(d instanceof Decision.Allow)) {
          return WasmHttpResponse.denied(d.verdict() + ": " + d.reason() + " [rule " + d.rule() + "]");
        }
        GuardedHttpClient.Response r = http.send(e.method(), e.url(), e.headers(), req.body(), MAX_HTTP_RESPONSE_BYTES);
        TreeMap<String, String> hs = new TreeMap<>();
        r.headers().forEach((k, v) -> hs.put(k, String.join(", ", v)));
        kernel.recordEvent("egress", "exchange", s.id(), Map.of("via", a.provider(), "method", e.method(), "host", e.host(),
            "status", r.status(), "bytes_down", r.body().length));
        return new WasmHttpResponse(r.status(), hs, r.body());
      } catch (DestinationDeniedException ex) {
        return WasmHttpResponse.denied("destination refused: " + ex.getMessage());
      } catch (IOException | RuntimeException ex) {
        return WasmHttpResponse.denied("request failed: " + ex.getMessage());
      }
    });
    WasmToolSpec.Builder spec = WasmToolSpec.builder(m.name(), m.module()).limits(m.limits())
        .env("WARDEN_ARGS", JSON.writeValueAsString(a.arguments()));
    if (a.arguments().get("input") instanceof String in) {
      spec.stdin(in);
    }
    for (WasmToolSpec.Directory d : m.directories()) {
      spec.directory(d.hostPath(), d.guestPath());
    }
    SandboxResult r = box.run(spec.build());
    String out = SandboxOutput.text(r);
    Label label = network.get() ? Label.untrusted("wasm-network:" + m.name()) : Label.trusted("workspace");
    return new ActionExecutor.Result(out, label, Map.of("exit_code", r.exitCode(), "termination", r.termination().name().toLowerCase()));
  }
}
