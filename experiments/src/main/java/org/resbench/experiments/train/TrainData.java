package org.resbench.experiments.train;

import java.util.List;
import org.resbench.experiments.training.TrainedRun;
import org.resbench.results.ExperimentData;

/**
 * The {@code train} experiment's results: every (backend, seed) run of one net. Immutable.
 *
 * @param spec the net as trained (adapted to the data)
 * @param dataset the data set used
 * @param runs one per backend and seed, in order
 */
public record TrainData(String spec, String dataset, List<TrainedRun> runs) implements ExperimentData {
  public TrainData {
    runs = List.copyOf(runs);
  }
}
