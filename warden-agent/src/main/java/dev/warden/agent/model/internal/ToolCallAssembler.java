package dev.warden.agent.model.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.warden.agent.model.ModelException;
import dev.warden.agent.model.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds tool calls from streamed fragments: an id and name arrive once, the arguments' JSON text
 * in pieces, keyed by the provider's index. Bounded by {@link Limits#MAX_TOOL_CALLS_PER_RESPONSE}
 * and {@link Limits#MAX_TOOL_ARGUMENTS_BYTES}. Not thread-safe.
 */
public final class ToolCallAssembler {

  private static final class Partial {
    String idOrNull;
    final StringBuilder name = new StringBuilder();
    final StringBuilder arguments = new StringBuilder();
    Map<String, Object> initialArgumentsOrNull;
  }

  private final TreeMap<Integer, Partial> calls = new TreeMap<>();
  private final String idPrefix;
  private final HttpCaller http;
  private final java.net.URI uri;

  public ToolCallAssembler(String idPrefix, HttpCaller http, java.net.URI uri) {
    this.idPrefix = idPrefix;
    this.http = http;
    this.uri = uri;
  }

  public boolean has(int index) {
    return calls.containsKey(index);
  }

  public int size() {
    return calls.size();
  }

  /** The index of the most recently started call, or -1. */
  public int lastIndex() {
    return calls.isEmpty() ? -1 : calls.lastKey();
  }

  private Partial at(int index) throws ModelException {
    Partial p = calls.get(index);
    if (p == null) {
      if (calls.size() >= Limits.MAX_TOOL_CALLS_PER_RESPONSE || index < 0 || index > 100_000) {
        throw http.malformed(uri, "more than " + Limits.MAX_TOOL_CALLS_PER_RESPONSE
            + " tool calls in one reply, or a tool call index out of range (" + index + ")");
      }
      p = new Partial();
      calls.put(index, p);
    }
    return p;
  }

  public void id(int index, String id) throws ModelException {
    Partial p = at(index);
    if (id != null && !id.isEmpty() && p.idOrNull == null) {
      p.idOrNull = id;
    }
  }

  public void name(int index, String name) throws ModelException {
    Partial p = at(index);
    if (name == null || name.isEmpty()) {
      return;
    }
    // Some servers repeat the whole name in every chunk, others send it in pieces.
    if (p.name.isEmpty() || !p.name.toString().equals(name)) {
      p.name.append(name);
    }
    if (p.name.length() > 256) {
      throw http.malformed(uri, "a tool call name longer than 256 characters");
    }
  }

  public void argumentsFragment(int index, String fragment) throws ModelException {
    Partial p = at(index);
    if (fragment == null) {
      return;
    }
    p.arguments.append(fragment);
    if (p.arguments.length() > Limits.MAX_TOOL_ARGUMENTS_BYTES) {
      throw http.malformed(uri, "tool call arguments longer than " + Limits.MAX_TOOL_ARGUMENTS_BYTES + " characters");
    }
  }

  /** Arguments given whole (not as fragments), used when no fragment arrives. */
  public void initialArguments(int index, Map<String, Object> arguments) throws ModelException {
    at(index).initialArgumentsOrNull = arguments;
  }

  public List<ToolCall> build() throws ModelException {
    List<ToolCall> out = new ArrayList<>();
    int n = 0;
    for (Partial p : calls.values()) {
      n++;
      String name = p.name.toString();
      if (name.isBlank()) {
        throw http.malformed(uri, "tool call #" + n + " has no name");
      }
      Map<String, Object> args;
      if (p.arguments.isEmpty() && p.initialArgumentsOrNull != null) {
        args = p.initialArgumentsOrNull;
      } else {
        args = parseArguments(name, p.arguments.toString());
      }
      out.add(new ToolCall(p.idOrNull == null ? idPrefix + n : p.idOrNull, name, args));
    }
    return out;
  }

  /** Parses a tool call's JSON arguments text; empty text is {@code {}}. */
  public Map<String, Object> parseArguments(String toolName, String json) throws ModelException {
    try {
      return Json.parseObject(json);
    } catch (JsonProcessingException e) {
      throw new ModelException(http.where(uri) + ": the model called tool '" + toolName
          + "' with arguments that are not a JSON object: " + HttpCaller.excerpt(json, null)
          + ". A retry usually helps; a model that does this often is a poor fit for tool calling.", false, -1, null);
    }
  }
}
