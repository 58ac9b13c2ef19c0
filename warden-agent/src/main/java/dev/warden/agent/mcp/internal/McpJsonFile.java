package dev.warden.agent.mcp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.warden.agent.mcp.McpApproval;
import dev.warden.agent.mcp.McpException;
import dev.warden.agent.mcp.McpServerConfig;
import dev.warden.agent.mcp.McpServerEntry;
import dev.warden.agent.mcp.McpToolDefinition;
import dev.warden.kernel.AtomicFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@code mcp.json}. The file is written atomically with mode 0600. On read, every
 * pinned tool's stored hash is checked against its stored definition: an approval whose pins do not
 * match (the file was edited outside Warden) is dropped, so the server's tools are not offered until
 * re-approved — fail closed.
 */
public final class McpJsonFile {
  /** Largest mcp.json read; a bigger file is refused rather than parsed. */
  public static final long MAX_FILE_BYTES = 8L * 1024 * 1024;

  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private McpJsonFile() {}

  public record Loaded(List<McpServerEntry> servers, List<String> warnings) {}

  public static Loaded read(Path file) throws McpException {
    if (!Files.exists(file)) {
      return new Loaded(List.of(), List.of());
    }
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new McpException(file + " is larger than " + MAX_FILE_BYTES + " bytes; refusing to read it");
      }
      JsonNode root = JSON.readTree(Files.readString(file));
      if (root == null || !root.isObject()) {
        throw new McpException(file + ": expected a JSON object with \"servers\"");
      }
      List<McpServerEntry> out = new ArrayList<>();
      List<String> warnings = new ArrayList<>();
      for (JsonNode s : root.path("servers")) {
        McpServerEntry e = entry(s);
        McpApproval a = e.approvalOrNull();
        if (a != null) {
          for (int i = 0; i < a.tools().size(); i++) {
            String stored = s.path("approval").path("tools").get(i).path("sha256").asText("");
            if (!stored.equals(a.tools().get(i).sha256())) {
              warnings.add("server " + e.name() + ": the pinned hash of tool " + a.tools().get(i).name()
                  + " does not match its stored definition (mcp.json was edited outside Warden); its approval is"
                  + " ignored until `warden mcp approve " + e.name() + "`");
              e = e.withApproval(null);
              break;
            }
          }
        }
        out.add(e);
      }
      return new Loaded(out, warnings);
    } catch (IOException | RuntimeException e) {
      throw new McpException("cannot read " + file + ": " + e.getMessage()
          + " (fix or remove the file; `warden mcp list` shows what Warden understands)", e);
    }
  }

  public static void write(Path file, List<McpServerEntry> servers) throws McpException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", FORMAT_VERSION);
    List<Object> list = new ArrayList<>();
    for (McpServerEntry e : servers) {
      list.add(toJson(e));
    }
    root.put("servers", list);
    try {
      AtomicFiles.writeString(file, JSON.writeValueAsString(root) + "\n", PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new McpException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> toJson(McpServerEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", e.name());
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("type", e.config().transport().type());
    switch (e.config().transport()) {
      case McpServerConfig.Stdio s -> {
        t.put("command", s.command());
        t.put("args", s.args());
        t.put("env", s.env());
        t.put("read_only_paths", s.readOnlyPaths());
      }
      case McpServerConfig.Http h -> t.put("url", h.url().toString());
    }
    m.put("transport", t);
    m.put("added_by", e.addedBy());
    m.put("added_at", e.addedAt().toString());
    McpApproval a = e.approvalOrNull();
    if (a != null) {
      Map<String, Object> am = new LinkedHashMap<>();
      am.put("approved_by", a.approvedBy());
      am.put("approved_at", a.approvedAt().toString());
      List<Object> tools = new ArrayList<>();
      for (McpToolDefinition d : a.tools()) {
        Map<String, Object> dm = new LinkedHashMap<>();
        dm.put("name", d.name());
        dm.put("description", d.description());
        dm.put("input_schema", d.inputSchema());
        dm.put("sha256", d.sha256());
        tools.add(dm);
      }
      am.put("tools", tools);
      m.put("approval", am);
    } else {
      m.put("approval", null);
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  private static McpServerEntry entry(JsonNode s) {
    JsonNode t = s.path("transport");
    McpServerConfig.Transport transport = switch (t.path("type").asText()) {
      case "stdio" -> new McpServerConfig.Stdio(t.path("command").asText(),
          JSON.convertValue(t.path("args"), List.class) == null ? List.of() : JSON.convertValue(t.path("args"), List.class),
          t.path("env").isObject() ? JSON.convertValue(t.path("env"), Map.class) : Map.of(),
          t.path("read_only_paths").isArray() ? JSON.convertValue(t.path("read_only_paths"), List.class) : List.of());
      case "http" -> new McpServerConfig.Http(URI.create(t.path("url").asText()));
      default -> throw new IllegalArgumentException("server " + s.path("name").asText() + ": unknown transport type '"
          + t.path("type").asText() + "' (expected stdio or http)");
    };
    McpServerConfig cfg = new McpServerConfig(s.path("name").asText(), transport);
    McpApproval approval = null;
    JsonNode a = s.path("approval");
    if (a.isObject()) {
      List<McpToolDefinition> tools = new ArrayList<>();
      for (JsonNode d : a.path("tools")) {
        tools.add(new McpToolDefinition(d.path("name").asText(), d.path("description").asText(""),
            d.path("input_schema").isObject() ? JSON.convertValue(d.path("input_schema"), Map.class) : Map.of()));
      }
      approval = new McpApproval(a.path("approved_by").asText(), Instant.parse(a.path("approved_at").asText()), tools);
    }
    return new McpServerEntry(cfg, s.path("added_by").asText("unknown"), Instant.parse(s.path("added_at").asText()), approval);
  }
}
