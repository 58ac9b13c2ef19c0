package dev.warden.cli;

import dev.warden.scenarios.ScenarioRunner;
import dev.warden.scenarios.SuiteSummary;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code warden scenarios run [DIR] [--json]}: the attack and benign scenario suite (docs/scenarios.md). */
@Command(name = "scenarios", description = "Run attack and benign scenarios.", subcommands = {ScenariosCommand.Run.class})
public final class ScenariosCommand {
  @Command(name = "run", description = "Run the scenarios in DIR (default: the built-in suite); exit 0 when no attack succeeded and every benign task did.")
  static final class Run implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "DIR")
    Path dir;

    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() throws Exception {
      SuiteSummary s = dir == null ? ScenarioRunner.runBuiltIn(json, System.out) : ScenarioRunner.run(dir, json, System.out);
      return s.ok() ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
    }
  }
}
