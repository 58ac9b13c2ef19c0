package dev.warden.cli;

import dev.warden.gateway.Containment;
import dev.warden.gateway.WardenRuntime;
import dev.warden.kernel.WardenHome;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code warden quarantine} and {@code warden release}: through the running gateway when there is one. */
final class ContainmentCommands {
  private ContainmentCommands() {}

  @Command(name = "quarantine", description = "Cut the agent off: deny all, suspend credentials, mute channels, stop cron, cancel approvals, forensic snapshot.")
  static final class Quarantine implements Callable<Integer> {
    @Mixin HomeOption home;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (recorded in the audit log)")
    String reason = "operator quarantine";

    @Override
    public Integer call() throws Exception {
      WardenHome h = home.resolve();
      Optional<GatewayClient> gw = GatewayClient.find(h);
      if (gw.isPresent()) {
        System.out.println(gw.get().post("/api/quarantine", Map.of("reason", reason)));
        System.out.println("quarantined (the running gateway applied it)");
        return ExitCodes.OK;
      }
      try (WardenRuntime rt = WardenRuntime.open(h, WardenRuntime.Options.none())) {
        Containment.Report r = rt.containment().quarantine(reason, "operator");
        System.out.println("quarantined: policy deny-all, " + r.credentials() + " credential(s) suspended, channels muted, cron stopped, "
            + r.approvalsCancelled() + " approval(s) cancelled, forensic snapshot " + r.snapshotOrNull());
        r.notes().forEach(n -> System.out.println("  note: " + n));
        System.out.println("undo with: warden release");
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "release", description = "Lift a quarantine (audited); resumes the credentials it suspended.")
  static final class Release implements Callable<Integer> {
    @Mixin HomeOption home;

    @Override
    public Integer call() throws Exception {
      WardenHome h = home.resolve();
      Optional<GatewayClient> gw = GatewayClient.find(h);
      if (gw.isPresent()) {
        System.out.println(gw.get().post("/api/release", Map.of()));
        return ExitCodes.OK;
      }
      try (WardenRuntime rt = WardenRuntime.open(h, WardenRuntime.Options.none())) {
        Containment.Report r = rt.containment().release("operator");
        System.out.println("released: " + r.credentials() + " credential(s) resumed");
        r.notes().forEach(n -> System.out.println("  note: " + n));
        return ExitCodes.OK;
      }
    }
  }
}
