package dev.warden.agent.model.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.agent.model.ChatMessage;
import dev.warden.agent.model.ChatRequest;
import dev.warden.agent.model.ChatResponse;
import dev.warden.agent.model.ModelProvider;
import dev.warden.agent.model.Role;
import dev.warden.agent.model.StreamListener;
import dev.warden.agent.model.ToolCall;
import dev.warden.agent.model.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model that follows a script instead of thinking: the public contract in {@code
 * docs/scripted-model.md}, relied on by demos and by tests outside this project.
 *
 * <p>Design notes. State: an instance holds which steps are consumed and a counter for tool call
 * ids, so one instance serves exactly one session; calls are serialised. Determinism: the same
 * script and the same messages give the same replies, ids and usage. Threats: {@code mode:
 * obedient} stands for a model fully steered by whoever wrote the content it reads; a malformed
 * directive line is ignored, never a crash, because attackers write those lines.
 */
public final class ScriptedProvider implements ModelProvider {

  private static final Logger LOG = LoggerFactory.getLogger(ScriptedProvider.class);

  /** The marker that starts a directive line in obedient mode. */
  public static final String DIRECTIVE_MARKER = "AGENT-DIRECTIVE:";

  /** How the reply starts when no step matches; tests and demos may look for it. */
  public static final String NO_MATCH_PREFIX = "[scripted model] The script has no matching step";

  /** Prefix of generated tool call ids, followed by a per-instance counter from 1. */
  public static final String CALL_ID_PREFIX = "scripted_call_";

  private final String name;
  private final Script script;
  private final boolean[] consumed;
  private int nextCallId = 1;

  public ScriptedProvider(String name, Script script) {
    this.name = name;
    this.script = script;
    this.consumed = new boolean[script.steps().size()];
  }

  @Override
  public String name() {
    return name;
  }

  /** The script this instance follows. */
  public Script script() {
    return script;
  }

  /** How many steps have not answered yet. */
  public synchronized int remainingSteps() {
    int n = 0;
    for (boolean c : consumed) {
      if (!c) {
        n++;
      }
    }
    return n;
  }

  @Override
  public synchronized ChatResponse chat(ChatRequest request, StreamListener listener) {
    String subject = subject(request.messages());
    String text;
    List<ToolCall> calls = new ArrayList<>();
    List<Script.Call> directives = script.obedient() ? directives(subject) : List.of();
    if (!directives.isEmpty()) {
      text = "";
      for (Script.Call d : directives) {
        calls.add(new ToolCall(CALL_ID_PREFIX + nextCallId++, d.name(), d.arguments()));
      }
    } else {
      Script.Step step = null;
      for (Script.Step s : script.steps()) {
        if (!consumed[s.index()] && s.matches(subject)) {
          step = s;
          break;
        }
      }
      if (step == null) {
        text = NO_MATCH_PREFIX + " for the newest message (script " + script.source() + ": "
            + remainingSteps() + " of " + consumed.length + " steps unused).";
      } else {
        consumed[step.index()] = true;
        text = step.textOrNull() == null ? "" : step.textOrNull();
        for (Script.Call c : step.toolCalls()) {
          calls.add(new ToolCall(CALL_ID_PREFIX + nextCallId++, c.name(), c.arguments()));
        }
      }
    }
    if (listener != StreamListener.NONE && !text.isEmpty()) {
      StreamListener safe = Listeners.safe(listener);
      // Word-sized deltas, so streaming consumers see more than one piece.
      for (String piece : text.split("(?<=\\s)")) {
        safe.onTextDelta(piece);
      }
    }
    return new ChatResponse(text, calls, estimate(request, text, calls), calls.isEmpty() ? "stop" : "tool_calls");
  }

  /**
   * What {@code when} and directives are matched against: the newest user message, or, when the
   * newest user-or-tool message is a tool result, all tool results since the last assistant
   * message, joined by newlines. Empty when there is neither.
   */
  static String subject(List<ChatMessage> messages) {
    int last = -1;
    for (int i = messages.size() - 1; i >= 0; i--) {
      Role r = messages.get(i).role();
      if (r == Role.USER || r == Role.TOOL) {
        last = i;
        break;
      }
    }
    if (last < 0) {
      return "";
    }
    if (messages.get(last).role() == Role.USER) {
      return messages.get(last).content();
    }
    int first = last;
    while (first > 0 && messages.get(first - 1).role() != Role.ASSISTANT) {
      first--;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = first; i <= last; i++) {
      if (messages.get(i).role() == Role.TOOL) {
        if (!sb.isEmpty()) {
          sb.append('\n');
        }
        sb.append(messages.get(i).content());
      }
    }
    return sb.toString();
  }

  /** Every well-formed directive in {@code subject}, in order; malformed lines are skipped. */
  static List<Script.Call> directives(String subject) {
    List<Script.Call> out = new ArrayList<>();
    if (!subject.contains(DIRECTIVE_MARKER)) {
      return out;
    }
    for (String line : subject.split("\\R")) {
      String l = line.strip();
      if (!l.startsWith(DIRECTIVE_MARKER)) {
        continue;
      }
      String json = l.substring(DIRECTIVE_MARKER.length()).strip();
      List<Script.Call> parsed = parseDirective(json);
      if (parsed == null) {
        LOG.debug("ignoring a malformed AGENT-DIRECTIVE line ({} chars)", json.length());
      } else if (out.size() + parsed.size() <= Limits.MAX_TOOL_CALLS_PER_RESPONSE) {
        out.addAll(parsed);
      }
    }
    return out;
  }

  /** The calls a directive's JSON asks for, or null when it is not exactly the documented shape. */
  private static List<Script.Call> parseDirective(String json) {
    if (json.isEmpty() || json.length() > Limits.MAX_DIRECTIVE_BYTES) {
      return null;
    }
    JsonNode node;
    try {
      node = Json.parse(json);
    } catch (JsonProcessingException e) {
      return null;
    }
    List<JsonNode> items = new ArrayList<>();
    if (node != null && node.isObject()) {
      items.add(node);
    } else if (node != null && node.isArray() && !node.isEmpty()) {
      node.forEach(items::add);
    } else {
      return null;
    }
    List<Script.Call> calls = new ArrayList<>();
    for (JsonNode item : items) {
      if (!item.isObject() || !item.path("tool").isTextual() || item.path("tool").asText().isBlank()) {
        return null;
      }
      JsonNode args = item.path("arguments");
      Map<String, Object> map;
      if (args.isMissingNode() || args.isNull()) {
        map = new LinkedHashMap<>();
      } else if (args.isObject()) {
        map = Json.toMap(args);
      } else {
        return null;
      }
      calls.add(new Script.Call(item.path("tool").asText(), map));
    }
    return calls;
  }

  /** Deterministic stand-in for token counts: a quarter of the characters, rounded up. */
  private static Usage estimate(ChatRequest request, String text, List<ToolCall> calls) {
    long in = 0;
    for (ChatMessage m : request.messages()) {
      in += m.content().length();
      for (ToolCall c : m.toolCalls()) {
        in += c.name().length() + Json.write(c.arguments()).length();
      }
    }
    long out = text.length();
    for (ToolCall c : calls) {
      out += c.name().length() + Json.write(c.arguments()).length();
    }
    return new Usage((int) Math.min(Integer.MAX_VALUE, (in + 3) / 4), (int) Math.min(Integer.MAX_VALUE, (out + 3) / 4));
  }
}
