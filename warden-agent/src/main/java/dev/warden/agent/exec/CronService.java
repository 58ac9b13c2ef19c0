package dev.warden.agent.exec;

import dev.warden.kernel.Action;
import dev.warden.kernel.ActionExecutor;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.Label;
import dev.warden.kernel.SessionContext;
import dev.warden.store.CronStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * cron_create / cron_list / cron_delete and the scheduler. A job keeps the label of the context
 * that created it and runs as its own principal ({@code cron:NAME}), so a job planted from a tainted
 * context stays tainted every time it runs and cannot launder the attacker's text into trust.
 */
public final class CronService implements AutoCloseable {

  /** Most jobs that may exist at once. */
  public static final int MAX_JOBS = 100;
  /** How often the scheduler looks for due jobs. */
  public static final long TICK_SECONDS = 15;

  private final CronStore store;
  private final InstantSource clock;
  private volatile boolean paused;
  private ScheduledExecutorService scheduler;

  public CronService(CronStore store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  public CronStore store() {
    return store;
  }

  public void registerWith(Kernel kernel) {
    kernel.register(Action.CronCreate.class, this::create);
    kernel.register(Action.CronDelete.class, this::delete);
    kernel.register(Action.CronList.class, this::list);
  }

  ActionExecutor.Result create(Action.CronCreate a, SessionContext s) {
    CronSchedule schedule = CronSchedule.parse(a.schedule());
    if (store.all().size() >= MAX_JOBS && store.get(a.name()).isEmpty()) {
      throw new IllegalStateException("there are already " + MAX_JOBS + " scheduled jobs; delete one first");
    }
    Instant now = clock.instant();
    store.put(new CronStore.Job(a.name(), a.schedule(), a.prompt(), s.label(), "cron:" + a.name(), now, true, null,
        schedule.next(now)));
    return new ActionExecutor.Result("scheduled " + a.name() + " (" + a.schedule() + "), next run " + schedule.next(now)
        + (s.label().isTainted() ? "; it carries this session's untrusted label " + s.label().untrustedSources() : ""),
        Label.trusted("system"), Map.of("name", a.name()));
  }

  ActionExecutor.Result delete(Action.CronDelete a, SessionContext s) {
    if (!store.delete(a.name())) {
      throw new IllegalArgumentException("no scheduled job named " + a.name());
    }
    return ActionExecutor.Result.of("deleted " + a.name(), Label.trusted("system"));
  }

  ActionExecutor.Result list(Action.CronList a, SessionContext s) {
    List<CronStore.Job> jobs = store.all();
    StringBuilder sb = new StringBuilder();
    Label l = Label.trusted("system");
    for (CronStore.Job j : jobs) {
      sb.append(j.name()).append(" [").append(j.schedule()).append("] ").append(j.enabled() ? "" : "(disabled) ")
          .append(j.prompt()).append('\n');
      l = l.join(j.label());
    }
    return new ActionExecutor.Result(jobs.isEmpty() ? "no scheduled jobs" : sb.toString(), l, Map.of("jobs", jobs.size()));
  }

  /** Quarantine: due jobs are skipped until {@link #resume}. */
  public void pause() {
    paused = true;
  }

  public void resume() {
    paused = false;
  }

  public boolean paused() {
    return paused;
  }

  /** Starts the scheduler; {@code runner} runs a due job as an agent turn (on the scheduler thread). */
  public synchronized void start(BiConsumer<CronStore.Job, Instant> runner) {
    if (scheduler != null) {
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "warden-cron");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(() -> runDue(runner), TICK_SECONDS, TICK_SECONDS, TimeUnit.SECONDS);
  }

  /** Runs every job that is due now; returns how many ran. Public for tests and `warden cron run-due`. */
  public int runDue(BiConsumer<CronStore.Job, Instant> runner) {
    if (paused) {
      return 0;
    }
    Instant now = clock.instant();
    int n = 0;
    for (CronStore.Job j : store.all()) {
      if (j.enabled() && j.nextRunOrNull() != null && !now.isBefore(j.nextRunOrNull())) {
        store.put(new CronStore.Job(j.name(), j.schedule(), j.prompt(), j.label(), j.principal(), j.created(), true, now,
            CronSchedule.parse(j.schedule()).next(now)));
        try {
          runner.accept(j, now);
        } catch (RuntimeException e) {
          System.err.println("warden: cron job " + j.name() + " failed: " + e.getMessage());
        }
        n++;
      }
    }
    return n;
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }
}
