package dev.warden.cli;

import dev.warden.agent.exec.SandboxOutput;
import dev.warden.gateway.WardenRuntime;
import dev.warden.kernel.Action;
import dev.warden.kernel.Label;
import dev.warden.kernel.Principal;
import dev.warden.kernel.SessionContext;
import dev.warden.kernel.Submission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code warden exec -- CMD ARGS...}: runs a command exactly as the agent's exec tool would (same
 * kernel decision, same sandbox), prints its output and exits with its exit code.
 */
@Command(name = "exec", description = "Run a command in the sandbox exactly as the agent would; exit with its exit code.")
public final class ExecCommand implements Callable<Integer> {
  @Mixin HomeOption home;

  @Option(names = "--network", description = "Give the command network through Warden's egress proxy")
  boolean network;

  @Option(names = "--tainted-by", paramLabel = "SOURCE", description = "Run as a session that has read untrusted content from SOURCE (to see what policy does then)")
  String taintedBy;

  @Parameters(paramLabel = "CMD", arity = "1..*", description = "The command and its arguments (after --)")
  List<String> argv = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
      SessionContext s = new SessionContext("exec-" + Long.toHexString(System.currentTimeMillis()), Principal.operator(), Set.of(),
          Label.owner());
      if (taintedBy != null) {
        s.observe("", Label.untrusted(taintedBy));
      }
      Submission sub = rt.kernel().submit(new Action.Exec(argv, ".", network), s);
      return switch (sub) {
        case Submission.Executed e -> {
          String out = e.result().content();
          int nl = out.indexOf('\n');
          String body = nl > 0 ? out.substring(nl + 1) : "";
          int err = body.indexOf(SandboxOutput.STDERR_MARKER);
          System.out.print(err >= 0 ? body.substring(0, err) : body);
          System.out.flush();
          if (err >= 0) {
            System.err.print(body.substring(err + SandboxOutput.STDERR_MARKER.length()));
          }
          System.err.println("warden: " + (nl > 0 ? out.substring(0, nl) : out));
          Object code = e.result().details().get("exit_code");
          yield code instanceof Number n ? n.intValue() : ExitCodes.FAILURE;
        }
        case Submission.Denied d -> {
          System.err.println("warden: denied: " + d.decision().reason() + " [rule " + d.decision().rule() + "]");
          yield ExitCodes.DENIED;
        }
        case Submission.Pending p -> {
          System.err.println("warden: needs approval " + p.approvalId() + ": " + p.decision().reason());
          yield ExitCodes.PENDING;
        }
        case Submission.Failed f -> {
          System.err.println("warden: " + f.error());
          yield ExitCodes.UNPROTECTED;
        }
      };
    }
  }
}
