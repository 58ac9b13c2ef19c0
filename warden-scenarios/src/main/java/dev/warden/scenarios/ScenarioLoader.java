package dev.warden.scenarios;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Reads scenario files (docs/scenarios.md) from a directory tree or from the built-in suite. */
public final class ScenarioLoader {

  /** Largest scenario file read, in bytes; a scenario is a page of YAML, not a data set. */
  public static final int MAX_SCENARIO_FILE_BYTES = 1024 * 1024;

  /** Classpath folder of the built-in suite. */
  public static final String BUILT_IN_ROOT = "/scenarios";

  private ScenarioLoader() {}

  /** Every {@code *.yaml}/{@code *.yml} under {@code dir} (recursively), sorted by path. */
  public static List<Scenario> loadDirectory(Path dir) throws ScenarioException {
    if (!Files.isDirectory(dir)) {
      throw new ScenarioException("scenario directory " + dir + " does not exist or is not a directory;"
          + " give a folder holding *.yaml scenario files (docs/scenarios.md)");
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(p -> {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml"));
      }).sorted(Comparator.comparing(Path::toString)).toList();
    } catch (IOException e) {
      throw new ScenarioException("cannot list " + dir + ": " + e.getMessage());
    }
    List<Scenario> out = new ArrayList<>();
    for (Path f : files) {
      try {
        if (Files.size(f) > MAX_SCENARIO_FILE_BYTES) {
          throw new ScenarioException(f + " is larger than " + MAX_SCENARIO_FILE_BYTES + " bytes");
        }
        out.add(parse(Files.readString(f, StandardCharsets.UTF_8), dir.relativize(f).toString()));
      } catch (IOException e) {
        throw new ScenarioException("cannot read " + f + ": " + e.getMessage());
      }
    }
    return out;
  }

  /** The built-in suite shipped in this jar under {@code scenarios/{attack,benign}}. */
  public static List<Scenario> loadBuiltIn() throws ScenarioException {
    URL root = ScenarioLoader.class.getResource(BUILT_IN_ROOT);
    if (root == null) {
      throw new ScenarioException("the built-in scenario suite is missing from the classpath (" + BUILT_IN_ROOT + ")");
    }
    try {
      if ("jar".equals(root.getProtocol())) {
        try (FileSystem fs = FileSystems.newFileSystem(root.toURI(), Map.of())) {
          return loadDirectoryFromFs(fs.getPath(BUILT_IN_ROOT));
        }
      }
      return loadDirectory(Path.of(root.toURI()));
    } catch (URISyntaxException | IOException e) {
      throw new ScenarioException("cannot read the built-in suite at " + root + ": " + e.getMessage());
    }
  }

  private static List<Scenario> loadDirectoryFromFs(Path dir) throws ScenarioException, IOException {
    List<Scenario> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted(Comparator.comparing(Path::toString)).toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          out.add(parse(new String(in.readNBytes(MAX_SCENARIO_FILE_BYTES), StandardCharsets.UTF_8), dir.relativize(f).toString()));
        }
      }
    }
    return out;
  }

  /** Parses one scenario file's text. */
  @SuppressWarnings("unchecked")
  public static Scenario parse(String yaml, String origin) throws ScenarioException {
    Object root;
    try {
      root = new Load(LoadSettings.builder().setLabel(origin).build()).loadFromString(yaml);
    } catch (RuntimeException e) {
      throw new ScenarioException(origin + ": not valid YAML: " + e.getMessage());
    }
    if (!(root instanceof Map<?, ?> m)) {
      throw new ScenarioException(origin + ": the top level must be a mapping with name, kind, turns… (docs/scenarios.md)");
    }
    Map<String, Object> doc = (Map<String, Object>) m;
    for (String k : doc.keySet()) {
      if (!Scenario.KEYS.contains(k)) {
        throw new ScenarioException(origin + ": unknown key '" + k + "'; allowed: " + Scenario.KEYS.stream().sorted().toList());
      }
    }
    String name = str(doc, "name", origin, true);
    Scenario.Kind kind = enumOf(Scenario.Kind.class, str(doc, "kind", origin, true), origin, "kind");
    String chainText = str(doc, "chain", origin, false);
    Scenario.ChainStep chain = chainText == null ? Scenario.ChainStep.NONE : enumOf(Scenario.ChainStep.class, chainText, origin, "chain");
    String entry = str(doc, "entry", origin, false);
    if (entry != null && !Scenario.ENTRIES.contains(entry)) {
      throw new ScenarioException(origin + ": entry '" + entry + "' is not one of " + Scenario.ENTRIES.stream().sorted().toList());
    }
    String approvalsText = str(doc, "approvals", origin, false);
    Scenario.Approvals approvals = approvalsText != null ? enumOf(Scenario.Approvals.class, approvalsText, origin, "approvals")
        : kind == Scenario.Kind.ATTACK ? Scenario.Approvals.DENY_ALL : Scenario.Approvals.NONE;
    Object goal = kind == Scenario.Kind.ATTACK ? doc.get("goal") : doc.get("success");
    if (goal == null) {
      throw new ScenarioException(origin + ": " + (kind == Scenario.Kind.ATTACK ? "an attack needs `goal:` (the attacker's goal)"
          : "a benign task needs `success:` (the task's success predicate)"));
    }
    if (kind == Scenario.Kind.ATTACK && doc.containsKey("success") || kind == Scenario.Kind.BENIGN && doc.containsKey("goal")) {
      throw new ScenarioException(origin + ": attacks have `goal:`, benign tasks `success:`; this " + kind.name().toLowerCase()
          + " scenario has the other");
    }
    List<Map<String, Object>> turns = listOfMaps(doc.get("turns"), origin, "turns");
    List<Map<String, Object>> gateway = listOfMaps(doc.get("gateway"), origin, "gateway");
    if (turns.isEmpty() && gateway.isEmpty()) {
      throw new ScenarioException(origin + ": a scenario needs `turns:` (messages to the agent) or `gateway:` (requests to it)");
    }
    Object model = doc.get("model");
    if (model != null && !(model instanceof Map)) {
      throw new ScenarioException(origin + ": `model:` must be a scripted-model mapping (mode, steps), see docs/scripted-model.md");
    }
    Object setup = doc.getOrDefault("setup", Map.of());
    if (!(setup instanceof Map)) {
      throw new ScenarioException(origin + ": `setup:` must be a mapping");
    }
    Object req = doc.getOrDefault("requires", List.of());
    if (!(req instanceof List<?> rl)) {
      throw new ScenarioException(origin + ": `requires:` must be a list of feature names");
    }
    for (Object r : rl) {
      if (!Features.KNOWN.contains(String.valueOf(r))) {
        throw new ScenarioException(origin + ": unknown feature '" + r + "' in requires; known: " + Features.KNOWN);
      }
    }
    Object max = doc.get("max_approvals");
    int maxApprovals = max == null ? (kind == Scenario.Kind.BENIGN ? 0 : Integer.MAX_VALUE) : ((Number) max).intValue();
    return new Scenario(name, kind, str(doc, "description", origin, false), str(doc, "threat", origin, false), chain, entry,
        rl.stream().map(String::valueOf).toList(), (Map<String, Object>) setup, (Map<String, Object>) model, turns, gateway,
        approvals, listOfMaps(doc.get("grant_matching"), origin, "grant_matching"), goal, maxApprovals,
        ((List<?>) doc.getOrDefault("must_execute", List.of())).stream().map(String::valueOf).toList(), origin);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> listOfMaps(Object o, String origin, String key) throws ScenarioException {
    if (o == null) {
      return List.of();
    }
    if (!(o instanceof List<?> l) || l.stream().anyMatch(x -> !(x instanceof Map))) {
      throw new ScenarioException(origin + ": `" + key + ":` must be a list of mappings");
    }
    return (List<Map<String, Object>>) o;
  }

  private static String str(Map<String, Object> doc, String key, String origin, boolean required) throws ScenarioException {
    Object v = doc.get(key);
    if (v == null) {
      if (required) {
        throw new ScenarioException(origin + ": missing `" + key + ":`");
      }
      return null;
    }
    return String.valueOf(v).strip();
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, String v, String origin, String key) throws ScenarioException {
    try {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_'));
    } catch (IllegalArgumentException e) {
      throw new ScenarioException(origin + ": `" + key + ": " + v + "` is not one of "
          + java.util.Arrays.stream(type.getEnumConstants()).map(x -> x.name().toLowerCase(Locale.ROOT)).toList());
    }
  }
}
