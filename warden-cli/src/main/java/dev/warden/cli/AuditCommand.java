package dev.warden.cli;

import dev.warden.kernel.AgentKey;
import dev.warden.kernel.WardenHome;
import dev.warden.kernel.audit.AuditHead;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.kernel.audit.AuditVerifier;
import dev.warden.store.SqliteAuditStore;
import dev.warden.store.StateDb;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code warden audit tail|verify}. Reads state.db directly; never needs the gateway. */
@Command(name = "audit", description = "Read and verify the hash-chained audit log.",
    subcommands = {AuditCommand.Tail.class, AuditCommand.Verify.class})
public final class AuditCommand {

  @Command(name = "tail", description = "Show the newest audit records.")
  static final class Tail implements Callable<Integer> {
    @Mixin HomeOption home;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "How many records (default 30)")
    int n = 30;

    @Override
    public Integer call() throws Exception {
      WardenHome h = home.resolve();
      if (!Files.exists(h.stateDb())) {
        System.err.println("warden: no audit log at " + h.stateDb() + " (nothing has run in this home yet)");
        return ExitCodes.FAILURE;
      }
      try (StateDb db = StateDb.open(h.stateDb())) {
        for (AuditRecord r : new SqliteAuditStore(db).tail(n)) {
          System.out.println(Render.audit(r));
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "verify", description = "Check the hash chain, checkpoint signatures and signed head. Exit 0 when intact.")
  static final class Verify implements Callable<Integer> {
    @Mixin HomeOption home;

    @picocli.CommandLine.Option(names = "--against", paramLabel = "FILE",
        description = "Also check the local log against checkpoints exported off the host (OCSF JSON Lines)")
    java.nio.file.Path against;

    @Override
    public Integer call() throws Exception {
      WardenHome h = home.resolve();
      if (!Files.exists(h.stateDb())) {
        System.err.println("warden: no audit log at " + h.stateDb());
        return ExitCodes.FAILURE;
      }
      try (StateDb db = StateDb.open(h.stateDb())) {
        AuditVerifier.Result r = AuditVerifier.verify(new SqliteAuditStore(db), AgentKey.loadPublic(h.keys()),
            AuditHead.readOrNull(h.auditHead()));
        System.out.println(r.summary());
        if (!r.ok()) {
          return ExitCodes.VERIFY_FAILED;
        }
        if (against != null) {
          var x = dev.warden.monitor.export.CheckpointVerifier.verifyAgainst(new SqliteAuditStore(db), AgentKey.loadPublic(h.keys()), against);
          System.out.println(x.ok()
              ? "matches the " + x.checkpointsChecked() + " exported checkpoint(s) and " + x.headsChecked() + " head(s) in " + against
              : "CONTRADICTS the export " + against + " at record " + x.firstContradictedSeq() + ": " + x.problem());
          return x.ok() ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
        }
        return ExitCodes.OK;
      }
    }
  }
}
