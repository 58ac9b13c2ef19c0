package dev.warden.monitor.hostscan;

/** Every check the host scan makes: a stable id, a default severity, a title and a fix hint. */
public enum Rule {
  GATEWAY_EXPOSED_NO_AUTH("HS001", Severity.CRITICAL, "Gateway bound beyond loopback without authentication",
      "Set gateway.bind to \"loopback\" and reach it over SSH or a tailnet, or set gateway.auth.mode to \"token\" "
          + "with a token held outside the config file."),
  GATEWAY_LISTENS_ALL_INTERFACES("HS002", Severity.HIGH, "Agent gateway port listening on all interfaces",
      "Bind the gateway to 127.0.0.1 (gateway.bind: \"loopback\") or firewall the port."),
  GATEWAY_LISTENS_NON_LOOPBACK("HS003", Severity.MEDIUM, "Agent gateway port listening on a non-loopback address",
      "Make sure the address is on a trusted network and the gateway requires authentication."),
  PLAINTEXT_SECRET("HS004", Severity.HIGH, "Token or API key in plaintext configuration",
      "Move the value to a secret store (a SecretRef, an environment variable from a protected unit file, or a "
          + "Warden vault) and rotate it: it has been readable on disk."),
  SANDBOX_OFF("HS005", Severity.HIGH, "Agent tools run on the host without a sandbox",
      "Set agents.defaults.sandbox.mode to \"all\" (or at least \"non-main\")."),
  SANDBOX_UNSET("HS006", Severity.MEDIUM, "Sandbox mode not configured (the product default runs tools on the host)",
      "Set agents.defaults.sandbox.mode explicitly, preferably to \"all\"."),
  OPEN_DM_POLICY("HS007", Severity.HIGH, "Anyone can message the agent (open DM policy)",
      "Set the channel's dmPolicy to \"pairing\" or \"allowlist\" and remove \"*\" from allowFrom."),
  UNRESTRICTED_EXEC("HS008", Severity.HIGH, "Unrestricted command execution",
      "Set tools.exec.security to \"allowlist\" (or \"deny\") and tools.exec.ask to \"on-miss\" or \"always\"."),
  ELEVATED_EXEC("HS009", Severity.MEDIUM, "Elevated (host) exec is enabled",
      "Disable tools.elevated unless a named operator needs it, and keep approvals on."),
  KNOWN_BAD_SKILL("HS010", Severity.CRITICAL, "Installed skill matches a known-bad hash",
      "Remove the skill, rotate every credential the agent could reach, and review the agent's recent actions."),
  UNKNOWN_SOURCE_SKILL("HS011", Severity.MEDIUM, "Installed skill from an unknown source",
      "Reinstall the skill from a trusted registry (with an origin record) or remove it."),
  WORLD_READABLE_STATE("HS012", Severity.HIGH, "State file readable or writable by other users",
      "chmod 600 the file (700 for directories) and check who read it."),
  WORLD_READABLE_STATE_DIR("HS013", Severity.MEDIUM, "State directory accessible to other users",
      "chmod 700 the directory."),
  LEGACY_PRODUCT("HS014", Severity.LOW, "Legacy product name (Clawdbot/Moltbot): likely an outdated version",
      "Upgrade to the current release and migrate the state directory."),
  AGENT_IN_CONTAINER("HS015", Severity.INFO, "Agent process running inside a container",
      "Check that the container does not mount the host's home or Docker socket."),
  AGENT_RUNTIME_FOUND("HS016", Severity.INFO, "Agent runtime found",
      "Make sure it is known, owned and monitored; otherwise remove it."),
  CONFIG_UNREADABLE("HS017", Severity.LOW, "Configuration could not be parsed",
      "Fix the JSON5 syntax; an unreadable config hides the agent's real posture from this scan.");

  private final String id;
  private final Severity severity;
  private final String title;
  private final String fix;

  Rule(String id, Severity severity, String title, String fix) {
    this.id = id;
    this.severity = severity;
    this.title = title;
    this.fix = fix;
  }

  public String id() {
    return id;
  }

  public Severity severity() {
    return severity;
  }

  public String title() {
    return title;
  }

  public String fix() {
    return fix;
  }
}
