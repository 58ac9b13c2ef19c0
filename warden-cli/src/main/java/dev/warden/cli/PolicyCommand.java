package dev.warden.cli;

import dev.warden.policy.CedarPolicy;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code warden policy test FILE}: dry-run a file of actions against the policy in force. */
@Command(name = "policy", description = "Work with policy.", subcommands = {PolicyCommand.Test.class})
public final class PolicyCommand {

  @Command(name = "test", description = "Evaluate a file of actions and print each decision with its reason (docs/policy.md).")
  static final class Test implements Callable<Integer> {
    @Mixin HomeOption home;

    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws Exception {
      CedarPolicy policy = CedarPolicy.load(home.resolve().policies());
      var result = dev.warden.policy.PolicyTester.run(file, policy, null, System.out);
      return result.ok() ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
    }
  }
}
