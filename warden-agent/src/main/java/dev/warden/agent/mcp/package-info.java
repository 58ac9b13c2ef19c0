/**
 * Warden as an MCP client. MCP servers are third-party code: stdio servers run inside the process
 * sandbox, HTTP servers are reached only through Warden's egress proxy, their tools are offered to
 * the model only after the owner approved the server, and each approved tool definition is pinned by
 * hash so that a changed name, description or schema (a rug pull) disables the tool until it is
 * re-approved. Tool descriptions and results are untrusted content. Entry points: {@link
 * dev.warden.agent.mcp.McpRegistry} (the approved set, {@code WARDEN_HOME/mcp.json}), {@link
 * dev.warden.agent.mcp.McpClientManager} (connections, tools, the {@code tool_call} executor) and
 * {@link dev.warden.agent.mcp.McpCli} (the {@code warden mcp} commands). Reference: {@code
 * docs/mcp.md}. Values are non-null unless a name ends in {@code OrNull}.
 */
package dev.warden.agent.mcp;
