package org.resbench.experiments.bench;

import java.util.List;
import org.resbench.results.stats.Samples;

/**
 * The raw timings of a benchmark run and what derives from them. Immutable.
 *
 * @param spec the spec's canonical name
 * @param macsPerExample multiply-accumulates per example (for achieved FLOP/s)
 * @param cells one entry per (backend, batch, measure)
 * @param skipped backends or measures not run, with the reason
 */
public record BenchResult(String spec, long macsPerExample, List<Cell> cells, List<String> skipped) {

  /**
   * One measured (backend, batch, measure): seconds per call, every call kept.
   *
   * @param residentBytes resident memory of the process after the cell's session was opened (-1 if unknown)
   */
  public record Cell(String backend, int batch, Measure measure, Samples seconds, long residentBytes) {

    /** Examples per second at the median time. */
    public double examplesPerSecond() {
      return batch / seconds.median();
    }
  }

  /** The cell for (backend, batch, measure), or null. */
  public Cell find(String backend, int batch, Measure measure) {
    return cells.stream().filter(c -> c.backend().equals(backend) && c.batch() == batch && c.measure() == measure)
        .findFirst().orElse(null);
  }

  /** Achieved GFLOP/s of a cell's median, counting 2 FLOPs per MAC of the forward pass only. */
  public double forwardGflops(Cell c) {
    return 2.0 * macsPerExample * c.batch() / c.seconds().median() / 1e9;
  }
}
