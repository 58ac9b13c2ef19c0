package dev.warden.agent.mcp;

import dev.warden.kernel.CanonicalJson;
import dev.warden.kernel.Hashing;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One tool as an MCP server describes it: what the owner approves and what is pinned.
 *
 * <p>Guarantee: {@link #sha256()} is the SHA-256 of the canonical JSON ({@link CanonicalJson}) of
 * {@code {"description", "inputSchema", "name"}}, so it does not depend on key order or whitespace
 * and any change of name, description or input schema changes it. Everything in this record is
 * untrusted text from the server.
 *
 * @param name the tool's name on the server
 * @param description the server's description ("" when the server gave none)
 * @param inputSchema the JSON Schema of the arguments; unmodifiable
 */
public record McpToolDefinition(String name, String description, Map<String, Object> inputSchema) {

  public McpToolDefinition {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("an MCP tool needs a name");
    }
    description = description == null ? "" : description;
    inputSchema = Collections.unmodifiableMap(new LinkedHashMap<>(inputSchema == null ? Map.of() : inputSchema));
  }

  /** The canonical JSON that {@link #sha256()} hashes. */
  public String canonicalJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("description", description);
    m.put("inputSchema", inputSchema);
    return CanonicalJson.write(m);
  }

  /** Hex SHA-256 of {@link #canonicalJson()}: the pin. */
  public String sha256() {
    return Hashing.sha256Hex(canonicalJson());
  }
}
