package dev.warden.agent.mcp;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach one MCP server. Operator configuration (trusted), but it names third-party code.
 *
 * @param name short id: 1 to {@link #MAX_NAME_CHARS} of {@code [a-z0-9-]}, starting with a letter
 *     or digit; it appears in tool names ({@code mcp__<name>__<tool>}) and labels ({@code mcp:<name>})
 * @param transport stdio (a command run in the sandbox) or HTTP (through the egress proxy)
 */
public record McpServerConfig(String name, Transport transport) {

  /** Longest server name, so that {@code mcp__<server>__<tool>} fits the 64-character tool-name limit. */
  public static final int MAX_NAME_CHARS = 24;

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0," + (MAX_NAME_CHARS - 1) + "}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  public McpServerConfig {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("MCP server name must be 1 to " + MAX_NAME_CHARS
          + " characters of [a-z0-9-] starting with a letter or digit (it becomes part of tool names), got: " + name);
    }
    Objects.requireNonNull(transport, "transport");
  }

  /** How the server is reached. */
  public sealed interface Transport permits Stdio, Http {
    /** {@code stdio} or {@code http}. */
    String type();

    /** One line for people. */
    String describe();
  }

  /**
   * A local command speaking MCP over stdin/stdout. It runs in the process sandbox with no network,
   * an empty environment plus {@code env}, a private {@code /tmp}, {@code /usr} read-only, and
   * {@code readOnlyPaths} (the server's installation: its script, jar or node_modules) read-only.
   *
   * @param command the program (absolute, or found on {@code /usr/bin:/bin})
   * @param args its arguments
   * @param env extra environment variables (stored in mcp.json in plain text: no secrets)
   * @param readOnlyPaths absolute host paths bound read-only into the sandbox at the same place
   */
  public record Stdio(String command, List<String> args, Map<String, String> env, List<String> readOnlyPaths)
      implements Transport {
    public Stdio {
      if (command == null || command.isBlank()) {
        throw new IllegalArgumentException("a stdio MCP server needs a command");
      }
      args = List.copyOf(args);
      Map<String, String> e = new LinkedHashMap<>();
      for (Map.Entry<String, String> x : env.entrySet()) {
        if (!ENV_NAME.matcher(x.getKey()).matches()) {
          throw new IllegalArgumentException("environment variable name must match [A-Za-z_][A-Za-z0-9_]*, got: " + x.getKey());
        }
        e.put(x.getKey(), Objects.requireNonNull(x.getValue(), "env value of " + x.getKey()));
      }
      env = Collections.unmodifiableMap(e);
      for (String p : readOnlyPaths) {
        if (p == null || !p.startsWith("/") || p.contains("/../") || p.endsWith("/..")) {
          throw new IllegalArgumentException("read-only paths must be absolute and normalised, got: " + p);
        }
      }
      readOnlyPaths = List.copyOf(readOnlyPaths);
    }

    public Stdio(String command, List<String> args) {
      this(command, args, Map.of(), List.of());
    }

    public String type() {
      return "stdio";
    }

    public String describe() {
      return "stdio: " + command + (args.isEmpty() ? "" : " " + String.join(" ", args));
    }
  }

  /** A remote server speaking MCP's streamable HTTP transport. Reached only through the egress proxy. */
  public record Http(URI url) implements Transport {
    public Http {
      Objects.requireNonNull(url, "url");
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null) {
        throw new IllegalArgumentException("an HTTP MCP server needs an http(s) URL with a host, got: " + url);
      }
      if (url.getUserInfo() != null) {
        throw new IllegalArgumentException("put no credentials in an MCP server URL (they would be stored and logged): " + url.getHost());
      }
    }

    public String type() {
      return "http";
    }

    public String describe() {
      return "http: " + url;
    }
  }
}
