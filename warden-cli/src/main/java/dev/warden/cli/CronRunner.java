package dev.warden.cli;

import dev.warden.agent.AgentSession;
import dev.warden.agent.TurnListener;
import dev.warden.gateway.WardenRuntime;
import dev.warden.kernel.Principal;
import dev.warden.store.CronStore;

/** Runs a due cron job as its own principal, carrying the label of the context that created it. */
final class CronRunner {
  private CronRunner() {}

  static void run(WardenRuntime rt, CronStore.Job job) {
    try {
      String id = "cron-" + job.name() + "-" + Long.toHexString(System.currentTimeMillis());
      AgentSession s = rt.session(id, new Principal(Principal.Kind.CRON, job.name()), "cron");
      rt.loop().run(s, job.prompt(), job.label(), TurnListener.NONE);
    } catch (Exception e) {
      rt.kernel().recordEvent("cron", "run_failed", null, java.util.Map.of("job", job.name(), "error", String.valueOf(e.getMessage())));
    }
  }
}
