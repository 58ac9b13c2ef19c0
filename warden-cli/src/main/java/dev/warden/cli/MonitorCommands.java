package dev.warden.cli;

import dev.warden.gateway.VaultCredentialCatalog;
import dev.warden.gateway.WardenRuntime;
import dev.warden.kernel.WardenHome;
import dev.warden.monitor.drift.DriftChecker;
import dev.warden.monitor.hostscan.HostScanner;
import dev.warden.monitor.snapshot.IncidentExporter;
import dev.warden.monitor.snapshot.RebuildSource;
import dev.warden.monitor.snapshot.Rebuilder;
import dev.warden.monitor.snapshot.SnapshotCommands;
import dev.warden.monitor.snapshot.SnapshotId;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Snapshots, drift, rebuild, incident bundles and the host inventory (the monitor component). */
final class MonitorCommands {
  private MonitorCommands() {}

  @Command(name = "snapshot", description = "Signed, content-addressed snapshots of the agent's state.",
      subcommands = {SnapCreate.class, SnapList.class, SnapDiff.class, SnapRestore.class})
  static final class Snapshot {}

  abstract static class SnapBase implements Callable<Integer> {
    @Mixin HomeOption home;

    @Option(names = "--json", description = "JSON output")
    boolean json;
  }

  @Command(name = "create", description = "Take a snapshot now.")
  static final class SnapCreate extends SnapBase {
    @Option(names = "--reason", paramLabel = "TEXT")
    String reason = "manual";

    @Override
    public Integer call() throws Exception {
      try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
        int code = SnapshotCommands.create(rt.snapshots(), reason, System.out, json);
        rt.kernel().recordEvent("snapshot", "create", null, java.util.Map.of("reason", reason));
        return code;
      }
    }
  }

  @Command(name = "list", description = "List snapshots.")
  static final class SnapList extends SnapBase {
    @Override
    public Integer call() throws Exception {
      try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
        return SnapshotCommands.list(rt.snapshots(), System.out, json);
      }
    }
  }

  @Command(name = "diff", description = "What changed between two snapshots, or since one; flags changes no audited action explains.")
  static final class SnapDiff extends SnapBase {
    @Parameters(index = "0", paramLabel = "FROM")
    String from;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TO", description = "Default: the live state")
    String to;

    @Override
    public Integer call() throws Exception {
      try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
        return SnapshotCommands.diff(rt.snapshots(), SnapshotId.of(from), to == null ? null : SnapshotId.of(to), System.out, json);
      }
    }
  }

  @Command(name = "restore", description = "Verify a snapshot and put its state back (a pre-restore snapshot is taken first).")
  static final class SnapRestore extends SnapBase {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() throws Exception {
      try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
        int code;
        try (var t = rt.announcer().writing(rt.home().root())) {
          code = SnapshotCommands.restore(rt.snapshots(), SnapshotId.of(id), System.out, json);
        }
        rt.kernel().recordEvent("snapshot", "restore", null, java.util.Map.of("snapshot", id, "exit", code));
        return code;
      }
    }
  }

  @Command(name = "drift", description = "Compare live state with the desired state (warden.yaml, skills.lock, policies) and the last snapshot.")
  static final class Drift implements Callable<Integer> {
    @Mixin HomeOption home;

    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() throws Exception {
      try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
        return DriftChecker.run(rt.home(), rt.snapshots(), System.out, json, null,
            DriftChecker.policyHash(rt.home().policies()));
      }
    }
  }

  @Command(name = "rebuild", description = "Build a fresh home from the desired state plus a snapshot (credentials are re-bound, not copied).")
  static final class Rebuild implements Callable<Integer> {
    @Mixin HomeOption home;

    static final class Source {
      @Option(names = "--from", paramLabel = "SNAPSHOT", required = true)
      String from;

      @Option(names = "--clean", required = true)
      boolean clean;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--into", paramLabel = "DIR", required = true, description = "The new home (must be empty or absent)")
    Path into;

    @Override
    public Integer call() throws Exception {
      WardenHome from = home.resolve();
      try (WardenRuntime rt = WardenRuntime.open(from, WardenRuntime.Options.none())) {
        Rebuilder.Result r = new Rebuilder(new VaultCredentialCatalog(rt.vault()), InstantSource.system())
            .rebuild(from, source.clean ? RebuildSource.clean() : RebuildSource.from(SnapshotId.of(source.from)), new WardenHome(into));
        System.out.println("rebuilt " + r.target().root() + " from " + r.source() + "; new agent key " + r.newKeyId());
        r.credentialsToRebind().forEach(c -> System.out.println("  re-add credential: warden secrets add " + c.name() + " --home " + into
            + c.hosts().stream().map(x -> " --host " + x).reduce("", String::concat)));
        r.notes().forEach(n -> System.out.println("  note: " + n));
        rt.kernel().recordEvent("rebuild", "done", null, java.util.Map.of("target", into.toString(), "source", r.source()));
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "incident", description = "Incident response.", subcommands = {IncidentExport.class})
  static final class Incident {}

  @Command(name = "export", description = "One archive: audit log + verification, snapshots and diffs, alerts, a readable timeline.")
  static final class IncidentExport implements Callable<Integer> {
    @Mixin HomeOption home;

    @Parameters(paramLabel = "FILE")
    Path file;

    @Option(names = "--reason", paramLabel = "TEXT")
    String reason = "incident export";

    @Override
    public Integer call() throws Exception {
      IncidentExporter.Summary s = IncidentExporter.export(home.resolve(), file, reason);
      System.out.println("wrote " + s.zipFile() + ": " + s.auditRecords() + " audit records (" + s.verification().summary() + "), "
          + s.snapshots() + " snapshots, " + s.diffs() + " diffs, " + s.alerts() + " alerts");
      return s.verification().ok() ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
    }
  }

  @Command(name = "scan-host", description = "Find agent runtimes on this host (OpenClaw, Moltbot, Clawdbot, Warden) and audit their posture.")
  static final class ScanHost implements Callable<Integer> {
    @Option(names = "--root", paramLabel = "DIR", description = "Scan a mounted image or fixture instead of /")
    Path root = Path.of("/");

    @Option(names = "--json")
    boolean json;

    @Option(names = "--sarif")
    boolean sarif;

    @Override
    public Integer call() {
      return HostScanner.run(root, System.out, sarif ? HostScanner.Format.SARIF : json ? HostScanner.Format.JSON : HostScanner.Format.TEXT);
    }
  }
}
