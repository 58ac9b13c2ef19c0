/** Implementation of the MCP client: sandboxed stdio launch, mcp.json codec, diffs. Not API. */
package dev.warden.agent.mcp.internal;
