package dev.warden.agent.tools;

import dev.warden.agent.model.ToolSpec;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tools offered to the model, by name. MCP and WASM tools are added here as they are approved. */
public final class ToolRegistry {
  private final Map<String, Tool> tools = new LinkedHashMap<>();

  public ToolRegistry(Collection<Tool> initial) {
    initial.forEach(this::add);
  }

  public synchronized void add(Tool t) {
    tools.put(t.name(), t);
  }

  public synchronized void remove(String name) {
    tools.remove(name);
  }

  public synchronized Optional<Tool> get(String name) {
    return Optional.ofNullable(tools.get(name));
  }

  public synchronized List<ToolSpec> specs() {
    return tools.values().stream().map(Tool::spec).toList();
  }

  public synchronized List<String> names() {
    return List.copyOf(tools.keySet());
  }
}
