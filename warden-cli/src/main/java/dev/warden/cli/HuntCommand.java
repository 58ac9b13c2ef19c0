package dev.warden.cli;

import dev.warden.monitor.Monitor;
import dev.warden.monitor.hunt.HuntArgs;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code warden hunt [NAME] [--since D] [--json|--csv] [--sql Q]} over the event store (docs/hunting.md). */
@Command(name = "hunt", description = "Run built-in hunting queries (no NAME lists them) or an ad-hoc read-only SQL query.")
public final class HuntCommand implements Callable<Integer> {
  @Mixin HomeOption home;

  @Parameters(arity = "0..1", paramLabel = "NAME")
  String name;

  @Option(names = "--since", paramLabel = "D", description = "e.g. 24h, 7d, or an ISO time")
  String since;

  @Option(names = "--json")
  boolean json;

  @Option(names = "--csv")
  boolean csv;

  @Option(names = "--sql", paramLabel = "QUERY", description = "A single read-only SELECT/WITH over the event store")
  String sql;

  @Override
  public Integer call() throws Exception {
    HuntArgs.Format f = json ? HuntArgs.Format.JSON : csv ? HuntArgs.Format.CSV : HuntArgs.Format.TABLE;
    // Bring the event store up to date with the audit log first (a gateway may not be running).
    try (var rt = dev.warden.gateway.WardenRuntime.open(home.resolve(), dev.warden.gateway.WardenRuntime.Options.none())) {
      if (rt.monitorOrNull() != null) {
        rt.monitorOrNull().flush(10_000);
      }
    }
    HuntArgs args = sql != null ? HuntArgs.sql(sql, f) : name == null ? HuntArgs.list() : HuntArgs.named(name, since, f);
    return Monitor.hunt(home.resolve(), args, System.out, System.err);
  }
}
