package dev.warden.agent.model.internal;

import dev.warden.agent.model.ModelException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * A parsed scripted-model file (format: {@code docs/scripted-model.md}). Every field is checked
 * when loaded; errors name the file, the step and the field.
 *
 * @param source the file (or label) it came from, for messages
 * @param obedient whether {@code mode: obedient} is set
 * @param steps the steps, in file order
 */
public record Script(String source, boolean obedient, List<Step> steps) {

  /** Prefix of a {@code when} that makes the rest a regular expression. */
  public static final String REGEX_PREFIX = "regex:";

  /** Largest number of steps in one script. */
  public static final int MAX_STEPS = 10_000;

  /** Deepest nesting of tool call arguments in a script. */
  public static final int MAX_ARGUMENT_DEPTH = 32;

  public Script {
    steps = List.copyOf(steps);
  }

  /**
   * One step.
   *
   * @param index zero-based position in {@code steps}
   * @param whenOrNull the raw {@code when}, or null for a step that always matches
   * @param regexOrNull the compiled pattern when {@code when} starts with {@code regex:}
   * @param textOrNull the reply text, or null
   * @param toolCalls the reply's tool calls; may be empty
   */
  public record Step(int index, String whenOrNull, Pattern regexOrNull, String textOrNull, List<Call> toolCalls) {
    public Step {
      toolCalls = List.copyOf(toolCalls);
    }

    /** Whether this step answers a newest message (or tool results) with this text. */
    public boolean matches(String subject) {
      if (whenOrNull == null) {
        return true;
      }
      if (regexOrNull != null) {
        return regexOrNull.matcher(subject).find();
      }
      return subject.contains(whenOrNull);
    }
  }

  /** A scripted tool call: a name and JSON-shaped arguments. */
  public record Call(String name, Map<String, Object> arguments) {}

  private static final Set<String> TOP_KEYS = Set.of("steps", "mode", "description");
  private static final Set<String> STEP_KEYS = Set.of("when", "reply");
  private static final Set<String> REPLY_KEYS = Set.of("text", "tool_calls");
  private static final Set<String> CALL_KEYS = Set.of("name", "arguments");

  /** Loads and checks a script file. */
  public static Script load(Path file) throws ModelException {
    String where = "scripted model file " + file;
    if (!Files.isRegularFile(file)) {
      throw new ModelException(where + " does not exist or is not a regular file. Write the script there, or fix"
          + " the path in the model spec (scripted:/path/to/file.yaml).");
    }
    byte[] bytes;
    try {
      if (Files.size(file) > Limits.MAX_SCRIPT_BYTES) {
        throw new ModelException(where + " is larger than the bound of " + Limits.MAX_SCRIPT_BYTES + " bytes.");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ModelException(where + " cannot be read: " + e, false, -1, e);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new ModelException(where + " is not valid UTF-8.");
    }
    return parse(text, file.toString());
  }

  /** Parses and checks script text; {@code source} names it in errors. */
  public static Script parse(String yaml, String source) throws ModelException {
    String where = "scripted model file " + source;
    if (yaml.length() > Limits.MAX_SCRIPT_BYTES) {
      throw new ModelException(where + " is larger than the bound of " + Limits.MAX_SCRIPT_BYTES + " bytes.");
    }
    Object doc;
    try {
      LoadSettings settings = LoadSettings.builder()
          .setLabel(source)
          .setAllowDuplicateKeys(false)
          .setAllowRecursiveKeys(false)
          .setMaxAliasesForCollections(100)
          .setCodePointLimit(Limits.MAX_SCRIPT_BYTES)
          .build();
      doc = new Load(settings).loadFromString(yaml);
    } catch (YamlEngineException e) {
      throw new ModelException(where + " is not valid YAML: " + e.getMessage().strip().replaceAll("\\s+", " "));
    }
    if (!(doc instanceof Map<?, ?> top)) {
      throw new ModelException(where + ": the top level must be a mapping with a 'steps:' list, got "
          + describe(doc) + ". See docs/scripted-model.md.");
    }
    checkKeys(top, TOP_KEYS, where + ": top level");
    boolean obedient = false;
    if (top.containsKey("mode")) {
      Object mode = top.get("mode");
      if ("obedient".equals(mode)) {
        obedient = true;
      } else if (!"normal".equals(mode)) {
        throw new ModelException(where + ": field 'mode' must be 'obedient' or 'normal', got " + describe(mode) + ".");
      }
    }
    if (top.containsKey("description") && !(top.get("description") instanceof String)) {
      throw new ModelException(where + ": field 'description' must be a string.");
    }
    if (!top.containsKey("steps")) {
      throw new ModelException(where + ": missing the top-level field 'steps' (a list; it may be empty: steps: []).");
    }
    Object rawSteps = top.get("steps");
    if (rawSteps == null) {
      rawSteps = List.of();
    }
    if (!(rawSteps instanceof List<?> list)) {
      throw new ModelException(where + ": field 'steps' must be a list, got " + describe(rawSteps) + ".");
    }
    if (list.size() > MAX_STEPS) {
      throw new ModelException(where + ": more than " + MAX_STEPS + " steps.");
    }
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      steps.add(step(list.get(i), i, where));
    }
    return new Script(source, obedient, steps);
  }

  private static Step step(Object raw, int i, String file) throws ModelException {
    String where = file + ": step " + (i + 1) + " (steps[" + i + "])";
    if (!(raw instanceof Map<?, ?> m)) {
      throw new ModelException(where + " must be a mapping with 'reply' and optionally 'when', got " + describe(raw) + ".");
    }
    checkKeys(m, STEP_KEYS, where);
    String when = null;
    Pattern regex = null;
    if (m.containsKey("when")) {
      if (!(m.get("when") instanceof String w)) {
        throw new ModelException(where + ", field 'when': must be a string (quote it), got " + describe(m.get("when")) + ".");
      }
      when = w;
      if (w.startsWith(REGEX_PREFIX)) {
        try {
          regex = Pattern.compile(w.substring(REGEX_PREFIX.length()));
        } catch (PatternSyntaxException e) {
          throw new ModelException(where + ", field 'when': invalid regular expression: "
              + e.getDescription() + " near index " + e.getIndex() + " in '" + e.getPattern() + "'.");
        }
      }
    }
    if (!(m.get("reply") instanceof Map<?, ?> reply)) {
      throw new ModelException(where + ", field 'reply': required, and must be a mapping with 'text' and/or"
          + " 'tool_calls', got " + describe(m.get("reply")) + ".");
    }
    checkKeys(reply, REPLY_KEYS, where + ", field 'reply'");
    String text = null;
    if (reply.containsKey("text")) {
      if (!(reply.get("text") instanceof String t)) {
        throw new ModelException(where + ", field 'reply.text': must be a string (quote it), got "
            + describe(reply.get("text")) + ".");
      }
      text = t;
    }
    List<Call> calls = new ArrayList<>();
    if (reply.containsKey("tool_calls")) {
      if (!(reply.get("tool_calls") instanceof List<?> rawCalls)) {
        throw new ModelException(where + ", field 'reply.tool_calls': must be a list, got "
            + describe(reply.get("tool_calls")) + ".");
      }
      if (rawCalls.size() > Limits.MAX_TOOL_CALLS_PER_RESPONSE) {
        throw new ModelException(where + ", field 'reply.tool_calls': more than "
            + Limits.MAX_TOOL_CALLS_PER_RESPONSE + " calls.");
      }
      for (int j = 0; j < rawCalls.size(); j++) {
        String cw = where + ", field 'reply.tool_calls[" + j + "]";
        if (!(rawCalls.get(j) instanceof Map<?, ?> c)) {
          throw new ModelException(cw + "': must be a mapping with 'name' and 'arguments', got "
              + describe(rawCalls.get(j)) + ".");
        }
        checkKeys(c, CALL_KEYS, cw + "'");
        if (!(c.get("name") instanceof String name) || name.isBlank()) {
          throw new ModelException(cw + ".name': required, a non-empty string, got " + describe(c.get("name")) + ".");
        }
        Map<String, Object> args = new LinkedHashMap<>();
        if (c.get("arguments") != null) {
          if (!(c.get("arguments") instanceof Map<?, ?>)) {
            throw new ModelException(cw + ".arguments': must be a mapping, got " + describe(c.get("arguments")) + ".");
          }
          @SuppressWarnings("unchecked")
          Map<String, Object> a = (Map<String, Object>) jsonShaped(c.get("arguments"), cw + ".arguments", 0);
          args = a;
        }
        calls.add(new Call(name, args));
      }
    }
    if (text == null && calls.isEmpty()) {
      throw new ModelException(where + ", field 'reply': needs 'text' or a non-empty 'tool_calls'.");
    }
    return new Step(i, when, regex, text, calls);
  }

  /** Converts a YAML value into a JSON-shaped one, rejecting what JSON cannot hold. */
  private static Object jsonShaped(Object v, String where, int depth) throws ModelException {
    if (depth > MAX_ARGUMENT_DEPTH) {
      throw new ModelException(where + "': nested deeper than " + MAX_ARGUMENT_DEPTH + " levels.");
    }
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) {
      return v;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new ModelException(where + "': keys must be strings, got " + describe(e.getKey()) + ".");
        }
        out.put(k, jsonShaped(e.getValue(), where + "." + k, depth + 1));
      }
      // Frozen: every reply of this step hands out the same arguments.
      return java.util.Collections.unmodifiableMap(out);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < l.size(); i++) {
        out.add(jsonShaped(l.get(i), where + "[" + i + "]", depth + 1));
      }
      return java.util.Collections.unmodifiableList(out);
    }
    throw new ModelException(where + "': a " + v.getClass().getSimpleName() + " cannot be a JSON value.");
  }

  private static void checkKeys(Map<?, ?> m, Set<String> allowed, String where) throws ModelException {
    for (Object k : m.keySet()) {
      if (!(k instanceof String s) || !allowed.contains(s)) {
        throw new ModelException(where + ": unknown field '" + k + "'; allowed: " + new java.util.TreeSet<>(allowed) + ".");
      }
    }
  }

  private static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof Map<?, ?>) {
      return "a mapping";
    }
    if (v instanceof List<?>) {
      return "a list";
    }
    String s = String.valueOf(v);
    return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " '"
        + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "'";
  }
}
