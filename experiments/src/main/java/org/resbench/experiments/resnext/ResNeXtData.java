package org.resbench.experiments.resnext;

import java.util.List;
import org.resbench.experiments.training.TrainedRun;
import org.resbench.results.ExperimentData;

/**
 * The {@code resnext} experiment's results. Immutable.
 *
 * @param dataset the data set used
 * @param paperComparable whether it is CIFAR-10 (the paper's errors may stand beside ours)
 * @param match the complexity kept equal: {@code params} or {@code macs}
 * @param designs the (C, d) pairs derived from the cost model, the reference first
 * @param runs per cardinality, seed and backend (group {@code C=…})
 * @param verdicts computed statements (empty while running)
 */
public record ResNeXtData(String dataset, boolean paperComparable, String match, List<Design> designs,
    List<TrainedRun> runs, List<String> verdicts) implements ExperimentData {

  public ResNeXtData {
    designs = List.copyOf(designs);
    runs = List.copyOf(runs);
    verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
  }

  /**
   * One net of the comparison.
   *
   * @param cardinality C
   * @param width d, the bottleneck width per group
   * @param spec the spec's canonical name
   * @param params parameters
   * @param macs multiply-accumulates per example
   * @param deviation relative difference of the matched complexity from the reference's
   */
  public record Design(int cardinality, int width, String spec, long params, long macs, double deviation) {}
}
