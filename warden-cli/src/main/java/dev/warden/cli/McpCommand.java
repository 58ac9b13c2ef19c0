package dev.warden.cli;

import dev.warden.agent.mcp.McpCli;
import dev.warden.gateway.WardenRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code warden mcp add|list|approve|remove}: MCP servers are third-party code; their tools are
 * offered only once approved, pinned by hash, and withdrawn when a definition changes (docs/mcp.md).
 */
@Command(name = "mcp", description = "Manage MCP servers (approve pins their tool definitions).",
    subcommands = {McpCommand.Add.class, McpCommand.ListCmd.class, McpCommand.Approve.class, McpCommand.Remove.class})
public final class McpCommand {

  abstract static class Base implements Callable<Integer> {
    @Mixin HomeOption home;

    abstract int run(McpCli cli);

    @Override
    public Integer call() throws Exception {
      try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
        return run(new McpCli(rt.mcp(), System.out, System.err));
      }
    }
  }

  @Command(name = "add", description = "Add a server (not approved: its tools are not offered yet). stdio: add NAME -- CMD ARGS…; HTTP: add NAME --url URL")
  static final class Add extends Base {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", paramLabel = "CMD", arity = "0..*")
    List<String> command = new ArrayList<>();

    @Option(names = "--url", paramLabel = "URL")
    String url;

    @Option(names = "--env", paramLabel = "K=V")
    List<String> env = new ArrayList<>();

    @Option(names = "--ro", paramLabel = "PATH", description = "Read-only path the server may see inside its sandbox")
    List<String> readOnly = new ArrayList<>();

    @Override
    int run(McpCli cli) {
      if (url != null) {
        return cli.addHttp(name, url, "operator");
      }
      Map<String, String> e = new LinkedHashMap<>();
      for (String kv : env) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          System.err.println("warden: --env wants K=V, got " + kv);
          return ExitCodes.USAGE;
        }
        e.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
      return cli.addStdio(name, command, e, readOnly, "operator");
    }
  }

  @Command(name = "list", description = "List servers and the state of each tool.")
  static final class ListCmd extends Base {
    @Override
    int run(McpCli cli) {
      return cli.list();
    }
  }

  @Command(name = "approve", description = "Connect, show the tools (and what changed), then --confirm FP pins them.")
  static final class Approve extends Base {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--confirm", paramLabel = "FP")
    String confirm;

    @Override
    int run(McpCli cli) {
      return cli.approve(name, confirm, "operator");
    }
  }

  @Command(name = "remove", description = "Remove a server.")
  static final class Remove extends Base {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    int run(McpCli cli) {
      return cli.remove(name);
    }
  }
}
