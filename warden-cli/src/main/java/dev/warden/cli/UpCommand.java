package dev.warden.cli;

import dev.warden.gateway.GatewayAuth;
import dev.warden.gateway.GatewayServer;
import dev.warden.gateway.WardenRuntime;
import dev.warden.kernel.AtomicFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code warden up}: the gateway daemon. */
@Command(name = "up", description = "Start the gateway (HTTP API, WebSocket chat, dashboard) on 127.0.0.1.")
public final class UpCommand implements Callable<Integer> {
  @Mixin HomeOption home;

  @Option(names = "--port", paramLabel = "N", description = "Port (default: gateway.port in warden.yaml, else 7788; 0 = any free port)")
  Integer port;

  @Option(names = "--model", paramLabel = "SPEC", description = "Model spec (overrides warden.yaml)")
  String model;

  @Option(names = "--allow-host", paramLabel = "HOST", description = "Let the destination guard pass this private/loopback host (audited)")
  List<String> allowHosts = new ArrayList<>();

  @Option(names = "--approval-wait", paramLabel = "SECONDS", description = "How long a turn waits for an approval before reporting it pending (default 120)")
  long approvalWaitSeconds = 120;

  @Override
  public Integer call() throws Exception {
    WardenRuntime rt = WardenRuntime.open(home.resolve(),
        new WardenRuntime.Options(model, allowHosts, java.time.Duration.ofSeconds(approvalWaitSeconds)));
    GatewayAuth auth = new GatewayAuth(rt.home().keys(), rt.clock());
    Optional<String> firstToken = auth.initialise();
    int p = port != null ? port : rt.config().gatewayPort();
    GatewayServer server = new GatewayServer(rt, auth, rt.config().gatewayBind()).start(p);
    AtomicFiles.writeString(rt.home().run().resolve("gateway.json"),
        "{\"port\": " + server.port() + ", \"pid\": " + ProcessHandle.current().pid() + "}\n");
    rt.cron().start((job, when) -> CronRunner.run(rt, job));
    rt.startMcp();
    rt.startIntegrityWatch(java.time.Duration.ofMinutes(5));
    // Scheduled snapshots (snapshots.interval_hours in warden.yaml, default 24; keep the last 14).
    Object hours = rt.config().raw().get("snapshots") instanceof java.util.Map<?, ?> sm ? sm.get("interval_hours") : null;
    var scheduler = new dev.warden.monitor.snapshot.SnapshotScheduler(rt.snapshots(),
        java.time.Duration.ofHours(hours instanceof Number n && n.longValue() > 0 ? n.longValue() : 24),
        new dev.warden.monitor.snapshot.Retention(14, java.time.Duration.ofDays(30)),
        e -> rt.kernel().recordEvent("snapshot", "scheduled_failed", null, java.util.Map.of("error", String.valueOf(e.getMessage()))));
    scheduler.start();
    System.out.println("Warden gateway on " + server.origin() + "  (home " + rt.home().root() + ")");
    System.out.println("  model " + (rt.modelSpec().startsWith("scripted:") ? "scripted (embedded default; set model: in warden.yaml)" : rt.modelSpec())
        + " · sandbox " + rt.config().sandbox() + (rt.config().insecureHostSandbox() ? " — UNPROTECTED, audited on every use" : ""));
    firstToken.ifPresent(t -> {
      System.out.println();
      System.out.println("  First start: your gateway token (shown once, stored only as a hash):");
      System.out.println("    " + t);
      System.out.println("  Open " + server.origin() + "/login and paste it. `warden token reset` makes a new one.");
    });
    System.out.println("  Ctrl-C stops the gateway.");
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      scheduler.close();
      server.close();
      rt.close();
      stop.countDown();
    }));
    stop.await();
    return ExitCodes.OK;
  }
}
