package dev.warden.kernel;

import java.nio.file.Path;

/**
 * The layout of {@code WARDEN_HOME} (default {@code ~/.warden}). Every component finds its files
 * through this record so the layout is written down once.
 */
public record WardenHome(Path root) {

  public WardenHome {
    root = root.toAbsolutePath().normalize();
  }

  /** {@code --home}, else {@code $WARDEN_HOME}, else {@code ~/.warden}. */
  public static WardenHome resolve(String homeOptionOrNull) {
    if (homeOptionOrNull != null && !homeOptionOrNull.isBlank()) {
      return new WardenHome(Path.of(homeOptionOrNull));
    }
    String env = System.getenv("WARDEN_HOME");
    if (env != null && !env.isBlank()) {
      return new WardenHome(Path.of(env));
    }
    return new WardenHome(Path.of(System.getProperty("user.home"), ".warden"));
  }

  /** Desired state: model, channels, sandbox mode, allowed hosts… */
  public Path config() {
    return root.resolve("warden.yaml");
  }

  public Path skillsLock() {
    return root.resolve("skills.lock");
  }

  /** Operator Cedar policies, added to the shipped defaults. */
  public Path policies() {
    return root.resolve("policies");
  }

  public Path vault() {
    return root.resolve("vault");
  }

  /** SQLite: sessions, messages, memory index, cron, approvals, grants, audit. */
  public Path stateDb() {
    return root.resolve("state.db");
  }

  /** SQLite: the monitor's OCSF-shaped event store (separate so hunting never slows the audit path). */
  public Path eventsDb() {
    return root.resolve("events.db");
  }

  public Path auditHead() {
    return root.resolve("audit.head");
  }

  /** The agent's Ed25519 key, the gateway token hash. */
  public Path keys() {
    return root.resolve("keys");
  }

  /** The agent's workspace: AGENTS.md, SOUL.md, USER.md, TOOLS.md, MEMORY.md, memory/, files. */
  public Path workspace() {
    return root.resolve("workspace");
  }

  /** Installed (managed) skills, one folder each. */
  public Path skills() {
    return root.resolve("skills");
  }

  public Path snapshots() {
    return root.resolve("snapshots");
  }

  /** The egress proxy's CA. */
  public Path ca() {
    return root.resolve("ca");
  }

  /** Exported events, checkpoints. */
  public Path exports() {
    return root.resolve("exports");
  }

  /** Per-session sandbox scratch (private /tmp etc.). */
  public Path run() {
    return root.resolve("run");
  }
}
