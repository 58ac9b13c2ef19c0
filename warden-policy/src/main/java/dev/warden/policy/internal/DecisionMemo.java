package dev.warden.policy.internal;

import dev.warden.kernel.Decision;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A bounded least-recently-used map from {@link CedarInput} to the {@link Decision} Cedar gave it.
 *
 * <p>Design notes.
 * <ol>
 *   <li>Correctness: a policy set is immutable once loaded and decisions are pure functions of
 *       the input, so a remembered decision is exactly the one Cedar would give again. A reload
 *       builds a new policy object with a new, empty memo.
 *   <li>Bound: at most {@code capacity} entries; the least recently used is evicted first. An
 *       entry holds the input (a few strings, the label sources) and the decision, so the memo
 *       stays within a few megabytes at the default capacity.
 *   <li>Concurrency: one lock around a {@link LinkedHashMap} in access order. Lookups are
 *       sub-microsecond; the Cedar call on a miss runs outside the lock, so two threads may both
 *       evaluate the same new input once, and both store the same decision.
 * </ol>
 */
public final class DecisionMemo {
  private final int capacity;
  private final LinkedHashMap<CedarInput, Decision> map;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  public DecisionMemo(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("memo capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
    this.map = new LinkedHashMap<>(Math.min(capacity, 1024) * 2, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<CedarInput, Decision> eldest) {
        return size() > DecisionMemo.this.capacity;
      }
    };
  }

  public @Nullable Decision getOrNull(CedarInput input) {
    Decision d;
    synchronized (map) {
      d = map.get(input);
    }
    if (d == null) {
      misses.increment();
    } else {
      hits.increment();
    }
    return d;
  }

  public void put(CedarInput input, Decision decision) {
    synchronized (map) {
      map.put(input, decision);
    }
  }

  public int size() {
    synchronized (map) {
      return map.size();
    }
  }

  public int capacity() {
    return capacity;
  }

  public long hits() {
    return hits.sum();
  }

  public long misses() {
    return misses.sum();
  }
}
