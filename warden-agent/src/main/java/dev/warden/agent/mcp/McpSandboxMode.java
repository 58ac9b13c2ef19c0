package dev.warden.agent.mcp;

/** Where stdio MCP servers run. */
public enum McpSandboxMode {
  /**
   * In a bubblewrap sandbox: all namespaces unshared (no network), unprivileged uid 65534, an
   * empty environment plus the server's own, {@code /usr} and the server's read-only paths bound
   * read-only, a private {@code /tmp}, killed when Warden exits. The default.
   */
  BWRAP,
  /**
   * On the host, as Warden's own user, with Warden's file system and network. Only when the
   * operator set {@code sandbox: host}; every start is audited and warned about. Unsafe.
   */
  UNSAFE_HOST
}
