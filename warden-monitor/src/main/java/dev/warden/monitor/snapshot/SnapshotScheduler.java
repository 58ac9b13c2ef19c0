package dev.warden.monitor.snapshot;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Takes a snapshot every {@code interval} and prunes to the {@link Retention} after each one.
 *
 * <p>Concurrency: one daemon thread; a run that is still going when the next is due delays it
 * (fixed delay, never overlapping). Failure: a failed run is reported to {@code onError} and the
 * schedule continues — a full disk must not stop later snapshots once space is freed.
 */
public final class SnapshotScheduler implements AutoCloseable {

  /** Shortest interval accepted: snapshots hash every covered file, so not more often than this. */
  public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
  /** The {@code reason} of scheduled snapshots. */
  public static final String REASON = "scheduled";

  private final SnapshotStore store;
  private final Duration interval;
  private final Retention retention;
  private final Consumer<Exception> onError;
  private ScheduledExecutorService executorOrNull;
  private ScheduledFuture<?> futureOrNull;

  public SnapshotScheduler(SnapshotStore store, Duration interval, Retention retention, Consumer<Exception> onError) {
    this.store = Objects.requireNonNull(store, "store");
    Objects.requireNonNull(interval, "interval");
    if (interval.compareTo(MIN_INTERVAL) < 0) {
      throw new IllegalArgumentException("snapshot interval " + interval + " is shorter than the minimum " + MIN_INTERVAL
          + "; set snapshots.interval in warden.yaml to at least 1m");
    }
    this.interval = interval;
    this.retention = Objects.requireNonNull(retention, "retention");
    this.onError = Objects.requireNonNull(onError, "onError");
  }

  public synchronized void start() {
    if (executorOrNull != null) {
      return;
    }
    executorOrNull = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "warden-snapshots");
      t.setDaemon(true);
      return t;
    });
    futureOrNull = executorOrNull.scheduleWithFixedDelay(this::runQuietly, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** One scheduled run now: snapshot, then prune. */
  public SnapshotManifest runOnce() throws SnapshotException {
    SnapshotManifest m = store.create(REASON);
    store.prune(retention);
    return m;
  }

  private void runQuietly() {
    try {
      runOnce();
    } catch (Exception e) {
      onError.accept(e);
    }
  }

  @Override
  public synchronized void close() {
    if (futureOrNull != null) {
      futureOrNull.cancel(false);
    }
    if (executorOrNull != null) {
      executorOrNull.shutdown();
      executorOrNull = null;
    }
  }
}
