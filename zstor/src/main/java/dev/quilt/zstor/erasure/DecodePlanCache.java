package dev.quilt.zstor.erasure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

/**
 * A small LRU of decode plans keyed by the bit set of present shards (n <= 48, so a {@code long}). Inverting
 * a 32×32 matrix and building its nibble tables costs about as much as coding a few KiB, and a run of
 * reads usually meets the same few erasure patterns (one backend down), so a few entries suffice.
 *
 * <p>Thread-safe: one lock guards the map; plans are computed outside it, so two threads may build the
 * same plan once each, and the later one wins.
 */
final class DecodePlanCache {

  /** Patterns kept; the oldest used is dropped beyond this. */
  static final int CAPACITY = 64;

  private final ReentrantLock lock = new ReentrantLock();

  // guarded by lock
  private final LinkedHashMap<Long, DecodePlan> plans = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, DecodePlan> eldest) {
      return size() > CAPACITY;
    }
  };

  DecodePlan get(long presentMask, LongFunction<DecodePlan> build) {
    lock.lock();
    try {
      DecodePlan plan = plans.get(presentMask);
      if (plan != null) {
        return plan;
      }
    } finally {
      lock.unlock();
    }
    DecodePlan plan = build.apply(presentMask);
    lock.lock();
    try {
      plans.put(presentMask, plan);
    } finally {
      lock.unlock();
    }
    return plan;
  }

  int size() {
    lock.lock();
    try {
      return plans.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * How to rebuild the missing shards of one erasure pattern.
   *
   * @param survivors the k shard indexes read, ascending
   * @param missing the shard indexes written, ascending
   * @param tables missing.length rows by k columns, in the coder's kernel layout
   */
  record DecodePlan(int[] survivors, int[] missing, CodingTables tables) {}
}
