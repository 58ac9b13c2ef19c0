package dev.warden.agent.mcp.internal;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.nio.file.Path;

/**
 * The SDK's stdio transport, but the process starts with an empty environment (the SDK's default
 * inherits the gateway's, which may hold API keys) and in a working directory of Warden's choosing.
 */
public final class CleanEnvStdioTransport extends StdioClientTransport {
  private final Path workDir;

  public CleanEnvStdioTransport(ServerParameters params, McpJsonMapper mapper, int maxMessageChars, Path workDir) {
    super(params, mapper, maxMessageChars);
    this.workDir = workDir;
  }

  @Override
  protected ProcessBuilder getProcessBuilder() {
    ProcessBuilder pb = new ProcessBuilder();
    pb.environment().clear();
    pb.directory(workDir.toFile());
    return pb;
  }
}
