package org.resbench.experiments.example;

import java.util.List;
import org.resbench.results.ExperimentData;

/**
 * The worked example's results: the spread of the logits at initialisation per (spec, backend). Immutable.
 *
 * @param rows one per (spec, backend)
 */
public record LogitScaleData(List<Row> rows) implements ExperimentData {
  public LogitScaleData {
    rows = List.copyOf(rows);
  }

  /**
   * One net on one backend.
   *
   * @param logits the raw logits, row-major [batch, outputs]
   * @param sd their standard deviation
   */
  public record Row(String spec, String backend, float[] logits, double sd) {}
}
