package org.resbench.harness.reference;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs the independent iterations of a kernel loop on several threads. Every iteration writes its own part
 * of the output and sums in a fixed order, so results do not depend on the number of threads or on
 * scheduling: the reference is bit-for-bit deterministic.
 *
 * <p>{@code threads = 0} uses the common fork-join pool (all cores), {@code 1} runs on the caller's thread,
 * more creates a pool that this object owns until {@link #close()}. Thread-safe.
 */
final class Parallel implements AutoCloseable {
  /** Below this many multiply-adds a loop runs on the caller's thread (forking would cost more than it saves). */
  private static final long MIN_PARALLEL_WORK = 1L << 15;

  static final Parallel SEQUENTIAL = new Parallel(null, true);

  private final ForkJoinPool pool;
  private final boolean sequential;

  private Parallel(ForkJoinPool pool, boolean sequential) {
    this.pool = pool;
    this.sequential = sequential;
  }

  static Parallel withThreads(int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException("threads=" + threads + "; allowed: 0 (all cores) or more");
    }
    if (threads == 1) {
      return SEQUENTIAL;
    }
    return new Parallel(threads == 0 ? null : new ForkJoinPool(threads), false);
  }

  /** Calls {@code body} for 0..count-1; {@code workPerItem} (multiply-adds) decides whether to fork. */
  void forEach(int count, long workPerItem, IntConsumer body) {
    if (sequential || count < 2 || count * workPerItem < MIN_PARALLEL_WORK) {
      for (int i = 0; i < count; i++) {
        body.accept(i);
      }
      return;
    }
    if (pool == null) {
      IntStream.range(0, count).parallel().forEach(body);
    } else {
      pool.submit(() -> IntStream.range(0, count).parallel().forEach(body)).join();
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
