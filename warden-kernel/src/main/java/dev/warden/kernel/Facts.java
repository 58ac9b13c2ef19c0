package dev.warden.kernel;

/**
 * Names of the facts the kernel's normaliser attaches to a {@link PolicyRequest}. Policy files
 * refer to them as {@code context.<name>}.
 */
public final class Facts {
  private Facts() {}

  /** Egress: class of the resolved, pinned address: public, private, loopback, link_local, metadata, unresolved. */
  public static final String DESTINATION = "destination";
  /** Egress: the operator let this private/loopback host pass the destination guard (--allow-host). */
  public static final String DESTINATION_ALLOWED_BY_OPERATOR = "destination_allowed_by_operator";
  /** Egress: the exact URL appeared in earlier content of the session (following a link). */
  public static final String URL_IN_SESSION = "url_in_session";
  /** Egress: the request carries a body. */
  public static final String HAS_BODY = "has_body";
  /** Files: the normalised path stays inside the workspace (no .., no absolute, no symlink escape). */
  public static final String INSIDE_WORKSPACE = "inside_workspace";
  /** Files: the target is a workspace instruction file (AGENTS.md, SOUL.md, USER.md, TOOLS.md, HEARTBEAT.md…). */
  public static final String INSTRUCTION_FILE = "instruction_file";
  /** Files: the target is memory (MEMORY.md, memory/…). */
  public static final String MEMORY_FILE = "memory_file";
  /** Messages: the recipient is the owner. */
  public static final String RECIPIENT_IS_OWNER = "recipient_is_owner";
  /** Exec: the command is in the read-only set (ls, cat, grep…). */
  public static final String READ_ONLY_COMMAND = "read_only_command";
  /** Credential use: the destination host matches the credential's binding. */
  public static final String CREDENTIAL_BOUND_TO_HOST = "credential_bound_to_host";
  /** The whole agent is quarantined. */
  public static final String QUARANTINED = "quarantined";
}
