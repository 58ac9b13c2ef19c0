package dev.warden.agent.model.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response body bounded in bytes, in silence between reads and in total duration.
 *
 * <p>Design notes. Concurrency: a single shared daemon thread checks every open stream each
 * {@link Limits#WATCHDOG_PERIOD_MILLIS} ms; when one is silent for too long or past its deadline it
 * closes the underlying stream, which wakes the reader blocked in {@code read}; the reader then
 * sees the recorded reason and throws {@link TimeoutIo}. Failure: exceeding the byte bound throws
 * {@link TooLargeIo}; both are {@link IOException}s so callers map them in one place. Threats: a
 * provider (or anything impersonating one) that trickles bytes forever or sends an endless body.
 */
public final class GuardedInputStream extends InputStream {

  /** The body went silent for too long or ran past its total deadline. */
  public static final class TimeoutIo extends IOException {
    TimeoutIo(String message) {
      super(message);
    }
  }

  /** The body is larger than allowed. */
  public static final class TooLargeIo extends IOException {
    TooLargeIo(String message) {
      super(message);
    }
  }

  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "warden-model-stream-watchdog");
    t.setDaemon(true);
    return t;
  });

  private final InputStream in;
  private final long maxBytes;
  private final long idleNanos;
  private final long deadlineNanos;
  private final long totalMillis;
  private volatile ScheduledFuture<?> check;
  private volatile long lastProgressNanos;
  private volatile String abortReasonOrNull;
  private long count;
  private boolean closed;

  public GuardedInputStream(InputStream in, long maxBytes, long idleMillis, long totalMillis) {
    this.in = in;
    this.maxBytes = maxBytes;
    this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
    long now = System.nanoTime();
    this.lastProgressNanos = now;
    this.deadlineNanos = now + TimeUnit.MILLISECONDS.toNanos(totalMillis);
    this.totalMillis = totalMillis;
    this.check = WATCHDOG.scheduleAtFixedRate(
        this::watch, Limits.WATCHDOG_PERIOD_MILLIS, Limits.WATCHDOG_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void watch() {
    long now = System.nanoTime();
    String reason = null;
    if (now - lastProgressNanos > idleNanos) {
      reason = "no data received for " + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms";
    } else if (now - deadlineNanos > 0) {
      reason = "the response took longer than the " + totalMillis + " ms bound on one call";
    }
    if (reason != null) {
      abortReasonOrNull = reason;
      ScheduledFuture<?> c = check;
      if (c != null) {
        c.cancel(false);
      }
      try {
        in.close();
      } catch (IOException | RuntimeException ignored) {
        // The reader learns of the abort from abortReasonOrNull.
      }
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    failIfAborted();
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      failIfAborted();
      throw e;
    }
    failIfAborted();
    if (n > 0) {
      count += n;
      lastProgressNanos = System.nanoTime();
      if (count > maxBytes) {
        close();
        throw new TooLargeIo("the response body exceeds the bound of " + maxBytes + " bytes");
      }
    }
    return n;
  }

  private void failIfAborted() throws TimeoutIo {
    String r = abortReasonOrNull;
    if (r != null) {
      throw new TimeoutIo(r);
    }
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    ScheduledFuture<?> c = check;
    if (c != null) {
      c.cancel(false);
    }
    in.close();
  }
}
