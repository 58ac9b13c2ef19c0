package dev.warden.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code warden} command. Each subcommand is its own class in this package. */
@Command(
    name = "warden",
    mixinStandardHelpOptions = true,
    version = "warden 0.1.0",
    description = "A self-hosted AI agent runtime whose every effect goes through a security kernel.",
    subcommands = {
      DemoCommand.class,
      UpCommand.class,
      RunCommand.class,
      ChatCommand.class,
      ApprovalsCommand.class,
      AuditCommand.class,
      PolicyCommand.class,
      MemoryCommand.class,
      TokenCommand.class,
      ExecCommand.class,
      HuntCommand.class,
      ScenariosCommand.class,
      McpCommand.class,
      SecretsCommand.class,
      ContainmentCommands.Quarantine.class,
      ContainmentCommands.Release.class,
      MonitorCommands.Snapshot.class,
      MonitorCommands.Drift.class,
      MonitorCommands.Rebuild.class,
      MonitorCommands.Incident.class,
      MonitorCommands.ScanHost.class,
      SkillsCommand.class,
      RegistryCommand.class,
      TrustCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (tests call this instead of main). */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      cmd.getErr().println("warden: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      return ExitCodes.FAILURE;
    });
    return cl.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
