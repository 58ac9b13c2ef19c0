package dev.warden.monitor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A bounded queue drained in batches by one daemon thread. Used wherever a producer must never
 * block on slow I/O (network exporters, the webhook): {@link #offer} never waits, and an item that
 * does not fit is dropped and counted.
 *
 * <p>Failure: an exception from the consumer is counted and the batch is dropped; the thread goes
 * on with the next batch.
 */
public final class BoundedWorker<T> implements AutoCloseable {

  /** How long {@link #close} waits for the queue to drain before giving up. */
  public static final long CLOSE_DRAIN_MILLIS = 5_000;

  private final BlockingQueue<T> queue;
  private final int batchMax;
  private final long lingerMillis;
  private final Consumer<List<T>> consumer;
  private final Thread thread;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failedBatches = new AtomicLong();
  private final AtomicLong processed = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private volatile boolean closing;

  /**
   * @param lingerMillis how long to wait for more items once one has arrived, to fill a batch
   */
  public BoundedWorker(String name, int capacity, int batchMax, long lingerMillis, Consumer<List<T>> consumer) {
    if (capacity < 1 || batchMax < 1) {
      throw new IllegalArgumentException(name + ": capacity and batch size must be at least 1");
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.batchMax = batchMax;
    this.lingerMillis = lingerMillis;
    this.consumer = consumer;
    this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::loop);
    thread.start();
  }

  /** Enqueues without waiting; false (and counted) when the queue is full or closing. */
  public boolean offer(T item) {
    inFlight.incrementAndGet();
    if (closing || !queue.offer(item)) {
      inFlight.decrementAndGet();
      dropped.incrementAndGet();
      return false;
    }
    return true;
  }

  public long dropped() {
    return dropped.get();
  }

  public long failedBatches() {
    return failedBatches.get();
  }

  public long processed() {
    return processed.get();
  }

  public int pending() {
    return queue.size();
  }

  private void loop() {
    List<T> batch = new ArrayList<>(batchMax);
    while (true) {
      try {
        T first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing) {
            return;
          }
          continue;
        }
        batch.add(first);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lingerMillis);
        while (batch.size() < batchMax) {
          queue.drainTo(batch, batchMax - batch.size());
          long left = deadline - System.nanoTime();
          if (batch.size() >= batchMax || left <= 0 || closing) {
            break;
          }
          T next = queue.poll(left, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        try {
          consumer.accept(List.copyOf(batch));
          processed.addAndGet(batch.size());
        } catch (RuntimeException e) {
          failedBatches.incrementAndGet();
        } finally {
          inFlight.addAndGet(-batch.size());
        }
        batch.clear();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Blocks until everything queued so far has been handed to the consumer (tests, close). */
  public boolean drain(long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (inFlight.get() > 0) {
      if (System.currentTimeMillis() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    closing = true;
    try {
      thread.join(CLOSE_DRAIN_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.interrupt();
  }
}
