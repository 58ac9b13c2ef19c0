package dev.warden.monitor.drift;

import dev.warden.kernel.AgentKey;
import dev.warden.kernel.WardenHome;
import dev.warden.monitor.snapshot.Attribution;
import dev.warden.monitor.snapshot.FileChange;
import dev.warden.monitor.snapshot.SnapshotDiff;
import dev.warden.monitor.snapshot.SnapshotException;
import dev.warden.monitor.snapshot.SnapshotManifest;
import dev.warden.monitor.snapshot.SnapshotStore;
import dev.warden.monitor.snapshot.internal.DesiredState;
import dev.warden.monitor.snapshot.internal.Json;
import dev.warden.store.StateDb;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code warden drift}: compares the live state with the desired state and with the last snapshot.
 *
 * <ul>
 *   <li>warden.yaml, flattened to dotted keys, against the running configuration the gateway passes
 *       in (only keys the file declares: the running config also holds defaults);
 *   <li>skills.lock against the installed skill folders: missing, unlocked, and modified (each
 *       folder's {@link #skillTreeHash} against the lock's hash);
 *   <li>the policies directory's {@link #policyHash} against the hash the gateway loaded;
 *   <li>the newest verified snapshot against the live state ({@link SnapshotStore#diffSince}), with
 *       each change's audit attribution.
 * </ul>
 *
 * <p>skills.lock is read as YAML (JSON is YAML); the accepted shapes are documented in
 * docs/snapshots.md ("Drift"). Each entry's hash is {@link #skillTreeHash}; the registry must write the same.
 */
public final class DriftChecker {

  private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(token|secret|password|apikey|api_key|private).*");

  private final WardenHome home;
  private final SnapshotStore snapshotsOrNull;

  /**
   * @param home the home to check
   * @param snapshotsOrNull the home's snapshot store with a state.db (null skips the snapshot comparison)
   */
  public DriftChecker(WardenHome home, SnapshotStore snapshotsOrNull) {
    this.home = Objects.requireNonNull(home, "home");
    this.snapshotsOrNull = snapshotsOrNull;
  }

  /**
   * Every drift item found.
   *
   * @param runningConfigOrNull the gateway's effective configuration as nested maps (null: gateway not
   *     running, skip the config comparison)
   * @param loadedPolicyHashOrNull the {@link #policyHash} of the policies the gateway loaded (null: skip)
   */
  public List<DriftItem> check(Map<String, Object> runningConfigOrNull, String loadedPolicyHashOrNull) {
    List<DriftItem> out = new ArrayList<>();
    if (runningConfigOrNull != null) {
      checkConfig(runningConfigOrNull, out);
    }
    checkSkills(out);
    if (loadedPolicyHashOrNull != null) {
      try {
        String now = policyHash(home.policies());
        if (!now.equals(loadedPolicyHashOrNull)) {
          out.add(new DriftItem(DriftItem.Kind.POLICIES_NOT_LOADED, "policies/", abbrev(loadedPolicyHashOrNull),
              abbrev(now), "the policy files on disk differ from the set the gateway enforces; review the change "
                  + "(`warden snapshot diff`) and reload, or restore the files"));
        }
      } catch (IOException e) {
        out.add(new DriftItem(DriftItem.Kind.DESIRED_STATE_UNREADABLE, "policies/", "", "", "cannot hash the policies: "
            + e.getMessage()));
      }
    }
    if (snapshotsOrNull != null) {
      checkSnapshot(out);
    }
    return out;
  }

  private void checkConfig(Map<String, Object> running, List<DriftItem> out) {
    Map<String, Object> desired;
    try {
      desired = loadYaml(home.config());
    } catch (IOException e) {
      out.add(new DriftItem(DriftItem.Kind.DESIRED_STATE_UNREADABLE, "warden.yaml", "", "", e.getMessage()));
      return;
    }
    Map<String, String> want = flatten(desired);
    Map<String, String> have = flatten(running);
    for (Map.Entry<String, String> e : want.entrySet()) {
      String k = e.getKey();
      if (!have.containsKey(k)) {
        out.add(new DriftItem(DriftItem.Kind.CONFIG_KEY_NOT_RUNNING, k, show(k, e.getValue()), "",
            "declared in warden.yaml but not in the running configuration: restart or reload the gateway"));
      } else if (!have.get(k).equals(e.getValue())) {
        out.add(new DriftItem(DriftItem.Kind.CONFIG_VALUE_DIFFERS, k, show(k, e.getValue()), show(k, have.get(k)),
            "the gateway runs with a different value than warden.yaml declares: a change at runtime, or the file "
                + "was edited after start"));
      }
    }
  }

  private void checkSkills(List<DriftItem> out) {
    Map<String, String> locked;
    try {
      locked = DesiredState.lockedSkills(home.skillsLock());
    } catch (IOException | RuntimeException e) {
      out.add(new DriftItem(DriftItem.Kind.DESIRED_STATE_UNREADABLE, "skills.lock", "", "",
          "skills.lock cannot be parsed (" + e.getMessage() + "); installed skills cannot be checked"));
      return;
    }
    TreeSet<String> installed = new TreeSet<>();
    if (Files.isDirectory(home.skills())) {
      try (Stream<Path> s = Files.list(home.skills())) {
        s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).map(p -> p.getFileName().toString())
            .filter(n -> !n.startsWith(".")).forEach(installed::add);
      } catch (IOException e) {
        out.add(new DriftItem(DriftItem.Kind.DESIRED_STATE_UNREADABLE, "skills/", "", "", e.getMessage()));
        return;
      }
    }
    for (Map.Entry<String, String> e : locked.entrySet()) {
      String name = e.getKey();
      if (!installed.contains(name)) {
        out.add(new DriftItem(DriftItem.Kind.SKILL_NOT_INSTALLED, name, "locked", "absent",
            "skills.lock lists " + name + " but skills/" + name + " does not exist: reinstall it or remove it from the lock"));
        continue;
      }
      if (e.getValue() != null) {
        try {
          String now = skillTreeHash(home.skills().resolve(name));
          if (!now.equals(e.getValue())) {
            out.add(new DriftItem(DriftItem.Kind.SKILL_MODIFIED, name, abbrev(e.getValue()), abbrev(now),
                "the files of skill " + name + " changed since it was installed: `warden snapshot diff` shows which; "
                    + "reinstall it from its source"));
          }
        } catch (IOException ex) {
          out.add(new DriftItem(DriftItem.Kind.DESIRED_STATE_UNREADABLE, "skills/" + name, "", "", ex.getMessage()));
        }
      }
    }
    for (String name : installed) {
      if (!locked.containsKey(name)) {
        out.add(new DriftItem(DriftItem.Kind.SKILL_NOT_LOCKED, name, "absent", "installed",
            "skills/" + name + " is installed but not in skills.lock: it did not come through `warden skills install`; "
                + "inspect and remove it"));
      }
    }
  }

  private void checkSnapshot(List<DriftItem> out) {
    try {
      Optional<SnapshotManifest> last = snapshotsOrNull.latest();
      if (last.isEmpty()) {
        out.add(new DriftItem(DriftItem.Kind.NO_SNAPSHOT, "snapshots/", "", "", "no verified snapshot to compare with: "
            + "take one with `warden snapshot create`"));
        return;
      }
      SnapshotDiff d = snapshotsOrNull.diffSince(last.get().id());
      for (FileChange c : d.changes()) {
        boolean unexplained = c.attribution() == Attribution.UNEXPLAINED;
        out.add(new DriftItem(unexplained ? DriftItem.Kind.UNEXPLAINED_CHANGE_SINCE_SNAPSHOT
            : DriftItem.Kind.CHANGED_SINCE_SNAPSHOT, c.path(), last.get().id().value(), c.kind().name().toLowerCase(Locale.ROOT),
            (unexplained ? "changed outside Warden since snapshot " : "changed through audited actions since snapshot ")
                + last.get().id() + ": " + c.detail()
                + (c.explainedBy().isEmpty() ? "" : " (audit #" + c.explainedBy().getFirst().seq() + ")")));
      }
    } catch (SnapshotException e) {
      out.add(new DriftItem(DriftItem.Kind.DESIRED_STATE_UNREADABLE, "snapshots/", "", "", e.getMessage()));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // CLI

  /** {@code warden drift [--json]} without a running gateway: skills, lock and the last snapshot. */
  public static int run(WardenHome home, PrintStream out, boolean json) {
    return run(home, out, json, null, null);
  }

  /**
   * {@code warden drift [--json]}. Exit 0: no drift; 1: drift found; 2: the check could not run.
   *
   * @param runningConfigOrNull the gateway's effective configuration, when it is reachable
   * @param loadedPolicyHashOrNull the policy hash the gateway reports
   */
  public static int run(WardenHome home, PrintStream out, boolean json, Map<String, Object> runningConfigOrNull,
      String loadedPolicyHashOrNull) {
    Path pub = home.keys().resolve(AgentKey.PUBLIC_FILE);
    if (Files.exists(home.stateDb()) && Files.exists(pub)) {
      try (StateDb db = StateDb.open(home.stateDb())) {
        SnapshotStore store = SnapshotStore.readOnly(home, AgentKey.loadPublic(home.keys()), db);
        return run(home, store, out, json, runningConfigOrNull, loadedPolicyHashOrNull);
      } catch (Exception e) {
        out.println("drift: cannot open " + home.stateDb() + ": " + e.getMessage());
        return 2;
      }
    }
    return run(home, null, out, json, runningConfigOrNull, loadedPolicyHashOrNull);
  }

  /**
   * As above, against a snapshot store the caller opened (the gateway's, whose credential catalog
   * reads the open vault, so credentials compare by name and binding).
   */
  public static int run(WardenHome home, SnapshotStore storeOrNull, PrintStream out, boolean json,
      Map<String, Object> runningConfigOrNull, String loadedPolicyHashOrNull) {
    List<DriftItem> items = new DriftChecker(home, storeOrNull).check(runningConfigOrNull, loadedPolicyHashOrNull);
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("home", home.root().toString());
      m.put("drift", items.stream().map(DriftItem::toMap).toList());
      out.println(Json.pretty(m));
    } else if (items.isEmpty()) {
      out.println("no drift: " + home.root() + " matches its desired state and last snapshot");
    } else {
      out.println(items.size() + " drift item(s) in " + home.root() + ":");
      for (DriftItem i : items) {
        out.println("  " + i.kind() + "  " + i.subject()
            + (i.expected().isEmpty() && i.actual().isEmpty() ? "" : "  (expected " + i.expected() + ", found " + i.actual() + ")"));
        out.println("      " + i.explanation());
      }
    }
    out.flush();
    boolean onlyInfo = items.stream().allMatch(i -> i.kind() == DriftItem.Kind.CHANGED_SINCE_SNAPSHOT);
    return items.isEmpty() || onlyInfo ? 0 : 1;
  }

  // ---------------------------------------------------------------------------------------------
  // hashing and parsing

  /**
   * A directory's content hash: SHA-256 over the sorted lines {@code relative/path NUL sha256 LF}
   * of every regular file (links and temp files excluded). Mode bits are not part of it. skills.lock
   * entries must carry this hash of the installed skill's folder.
   */
  public static String skillTreeHash(Path dir) throws IOException {
    return DesiredState.treeHash(dir);
  }

  /** The hash of the policies directory the gateway should report for the set it loaded: {@link #skillTreeHash} of it. */
  public static String policyHash(Path policiesDir) throws IOException {
    return DesiredState.treeHash(policiesDir);
  }

  /** Parses a YAML (or JSON) mapping; an empty file is an empty map. */
  public static Map<String, Object> loadYaml(Path file) throws IOException {
    return DesiredState.loadYaml(file);
  }

  /** Nested maps to {@code a.b.c → value}; lists become their JSON text. */
  public static Map<String, String> flatten(Map<String, Object> m) {
    Map<String, String> out = new TreeMap<>();
    flatten("", m, out);
    return out;
  }

  private static void flatten(String prefix, Object v, Map<String, String> out) {
    if (v instanceof Map<?, ?> m) {
      if (m.isEmpty() && !prefix.isEmpty()) {
        out.put(prefix, "{}");
      }
      for (Map.Entry<?, ?> e : m.entrySet()) {
        flatten(prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (v instanceof List<?> l) {
      out.put(prefix, Json.compact(l));
    } else {
      out.put(prefix, String.valueOf(v));
    }
  }

  private static String show(String key, String value) {
    return SECRET_KEY.matcher(key).matches() ? "(redacted, " + value.length() + " chars)" : value;
  }

  private static String abbrev(String h) {
    return h.length() > 16 ? h.substring(0, 16) : h;
  }
}
