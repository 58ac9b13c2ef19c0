package dev.warden.agent.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed access to a tool call's JSON arguments, with errors that name the tool and the argument. */
final class ToolArgs {
  private final String tool;
  private final Map<String, Object> args;

  ToolArgs(String tool, Map<String, Object> args) {
    this.tool = tool;
    this.args = args == null ? Map.of() : args;
  }

  String string(String name) throws ToolArgumentException {
    Object v = args.get(name);
    if (v == null) {
      throw new ToolArgumentException(tool + ": missing required argument '" + name + "'");
    }
    if (v instanceof Map || v instanceof List) {
      throw new ToolArgumentException(tool + ": argument '" + name + "' must be a string");
    }
    return v.toString();
  }

  String string(String name, String dflt) throws ToolArgumentException {
    return args.get(name) == null ? dflt : string(name);
  }

  List<String> stringList(String name) throws ToolArgumentException {
    Object v = args.get(name);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l) {
      List<String> out = new ArrayList<>();
      for (Object o : l) {
        out.add(String.valueOf(o));
      }
      return out;
    }
    throw new ToolArgumentException(tool + ": argument '" + name + "' must be a list of strings");
  }

  Map<String, String> stringMap(String name) throws ToolArgumentException {
    Object v = args.get(name);
    if (v == null) {
      return Map.of();
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, String> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), String.valueOf(x)));
      return out;
    }
    throw new ToolArgumentException(tool + ": argument '" + name + "' must be an object of strings");
  }

  Map<String, Object> raw() {
    return args;
  }
}
