package dev.warden.agent.mcp.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.warden.agent.mcp.McpToolDefinition;
import dev.warden.kernel.LineDiff;
import java.util.Map;

/** The owner-facing diff between a pinned tool definition and what the server lists now. */
public final class ToolDiff {
  private static final ObjectMapper PRETTY = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private ToolDiff() {}

  /** Unified diffs of the description and of the (pretty, key-sorted) input schema; empty parts omitted. */
  public static String render(McpToolDefinition before, McpToolDefinition after) {
    StringBuilder sb = new StringBuilder();
    if (!before.name().equals(after.name())) {
      sb.append("name: ").append(before.name()).append(" -> ").append(after.name()).append('\n');
    }
    if (!before.description().equals(after.description())) {
      sb.append(LineDiff.unified(before.name() + "/description", before.description(), after.description()));
    }
    String a = pretty(before.inputSchema());
    String b = pretty(after.inputSchema());
    if (!a.equals(b)) {
      sb.append(LineDiff.unified(before.name() + "/inputSchema", a, b));
    }
    return SafeText.forTerminal(sb.toString());
  }

  public static String pretty(Map<String, Object> schema) {
    try {
      return PRETTY.writeValueAsString(schema);
    } catch (JsonProcessingException e) {
      return String.valueOf(schema);
    }
  }
}
