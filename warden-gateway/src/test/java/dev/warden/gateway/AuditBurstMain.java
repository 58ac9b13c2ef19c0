package dev.warden.gateway;

import dev.warden.kernel.Action;
import dev.warden.kernel.SessionContext;
import dev.warden.kernel.Submission;
import dev.warden.kernel.WardenHome;
import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link KillNineTest}: a burst of actions through the real runtime,
 * printing "ack SEQ" after each one the kernel acknowledged (its audit records are durable then).
 */
public final class AuditBurstMain {
  public static void main(String[] args) throws Exception {
    WardenRuntime rt = WardenRuntime.open(new WardenHome(Path.of(args[0])), WardenRuntime.Options.none());
    SessionContext s = SessionContext.forOwner("burst");
    for (int i = 0; ; i++) {
      Submission sub = rt.kernel().submit(new Action.FileWrite("burst/f" + (i % 50) + ".txt", "payload " + i), s);
      if (!(sub instanceof Submission.Executed)) {
        System.out.println("unexpected " + sub);
      }
      System.out.println("ack " + rt.audit().headSeq());
      System.out.flush();
    }
  }
}
