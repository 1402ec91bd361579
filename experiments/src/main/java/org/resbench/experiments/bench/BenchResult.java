package org.resbench.experiments.bench;

import java.util.List;
import org.resbench.results.stats.Samples;

/**
 * The raw timings of a benchmark run of one spec and what derives from them. Immutable.
 *
 * @param spec the spec's canonical name
 * @param macsPerExample multiply-accumulates per example of the forward pass (the cost model)
 * @param threads the intra-op threads the sessions were opened with (0 = engine default)
 * @param cells one entry per (backend, batch, measure), in measuring order
 * @param skipped backends or measures not run, with the reason
 * @param failures backends that failed while being set up or measured, with the engine's message; their cells are
 *     left out
 * @param peakRssBytes the process's peak resident memory at the end of the run (-1 if unknown): since the last
 *     cell's set-up when the peak could be reset, else since the process started
 */
public record BenchResult(String spec, long macsPerExample, int threads, List<Cell> cells, List<String> skipped,
    List<String> failures, long peakRssBytes) {

  public BenchResult {
    cells = List.copyOf(cells);
    skipped = List.copyOf(skipped);
    failures = List.copyOf(failures);
  }

  /**
   * One measured (backend, batch, measure): seconds per call, every call kept, plus what its set-up cost.
   *
   * @param seconds every timed call of the rounds, in order
   * @param openSeconds creating the session (or bare loop) this measure runs on
   * @param coldSeconds the first call after opening, before any warm-up (not among {@code seconds})
   * @param rssBeforeBytes the process's resident memory before the cell's sessions were opened (-1 if unknown)
   * @param peakRssBytes the process's peak resident memory over opening them, their first calls and warm-up (-1 if
   *     unknown); it includes every session opened before, so {@code peak - before} is what this cell added
   * @param peakWasReset whether the peak was reset before opening (else it is the process's peak so far)
   */
  public record Cell(String backend, int batch, Measure measure, Samples seconds, double openSeconds,
      double coldSeconds, long rssBeforeBytes, long peakRssBytes, boolean peakWasReset) {

    /** Examples per second at the median time. */
    public double examplesPerSecond() {
      return batch / seconds.median();
    }

    /** Floating-point operations of one call by the cost model. */
    public double flopsPerCall(long macsPerExample) {
      return measure.flopsPerExample(macsPerExample) * batch;
    }
  }

  /** The cell for (backend, batch, measure), or null. */
  public Cell find(String backend, int batch, Measure measure) {
    return cells.stream().filter(c -> c.backend().equals(backend) && c.batch() == batch && c.measure() == measure)
        .findFirst().orElse(null);
  }

  /** Achieved GFLOP/s of a cell's median call by the cost model ({@link Measure#flopsPerExample}). */
  public double gflopsAtMedian(Cell c) {
    return c.flopsPerCall(macsPerExample) / c.seconds().median() / 1e9;
  }

  /**
   * Call-by-call ratios {@code harness[i] / bare[i]}: the two alternate in ABBA order, so each pair saw the same
   * machine state.
   */
  public static double[] pairedRatios(double[] harness, double[] bare) {
    double[] ratio = new double[Math.min(harness.length, bare.length)];
    for (int i = 0; i < ratio.length; i++) {
      ratio[i] = harness[i] / bare[i];
    }
    return ratio;
  }
}
