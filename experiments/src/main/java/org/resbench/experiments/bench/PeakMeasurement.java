package org.resbench.experiments.bench;

import org.resbench.results.stats.Samples;

/**
 * The timed calls of one backend's {@link org.resbench.harness.backend.PeakProbe} at one size and thread count.
 * Immutable.
 *
 * @param backend the backend's name
 * @param threads the intra-op threads it ran with (0 = engine default)
 * @param size the operands' order n (n x n times n x n)
 * @param description what the probe multiplies, as the backend says
 * @param flopsPerCall 2 n^3
 * @param seconds every timed call
 */
public record PeakMeasurement(String backend, int threads, int size, String description, double flopsPerCall,
    Samples seconds) {

  /** GFLOP/s over all timed calls (work over mean time). */
  public double gflops() {
    return flopsPerCall / seconds.mean() / 1e9;
  }
}
