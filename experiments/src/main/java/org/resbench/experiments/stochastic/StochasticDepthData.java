package org.resbench.experiments.stochastic;

import java.util.List;
import org.resbench.experiments.training.TrainedRun;
import org.resbench.results.ExperimentData;

/**
 * The {@code stochastic-depth} experiment's results. Immutable.
 *
 * @param dataset the data set used
 * @param paperComparable whether it is CIFAR-10, so the paper's errors may stand beside ours
 * @param depth the weighted depth
 * @param survival p_L
 * @param blocks residual blocks L
 * @param expectedDepth Σ p_l, the expected number of blocks a step runs ((3L-1)/4 for p_L = 0.5)
 * @param runs per seed and backend, group {@code constant} and group {@code stochastic}
 * @param testTime per trained stochastic-depth net: error with survival-probability gates and with all on
 * @param lesions per trained net: error with each single block deleted
 * @param timing per backend: median seconds per training step of both nets, measured in the same run
 * @param verdicts computed statements for a reader (empty while running)
 */
public record StochasticDepthData(String dataset, boolean paperComparable, int depth, double survival, int blocks,
    double expectedDepth, List<TrainedRun> runs, List<TestTime> testTime, List<Lesion> lesions,
    List<Timing> timing, List<String> verdicts) implements ExperimentData {

  public StochasticDepthData {
    runs = List.copyOf(runs);
    testTime = testTime == null ? List.of() : List.copyOf(testTime);
    lesions = lesions == null ? List.of() : List.copyOf(lesions);
    timing = timing == null ? List.of() : List.copyOf(timing);
    verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
  }

  /**
   * Test-time behaviour of one stochastic-depth net (Huang et al. Eq. 6: inference scales each branch by p_l).
   *
   * @param cell the trained run
   * @param survivalErrorPercent test error with gates p_l (the default)
   * @param allOnErrorPercent test error with every gate 1
   */
  public record TestTime(String cell, double survivalErrorPercent, double allOnErrorPercent) {}

  /**
   * Single-block lesions of one trained net.
   *
   * @param cell the trained run
   * @param group {@code constant} or {@code stochastic}
   * @param wholeErrorPercent the error with no block deleted
   * @param errorPercent per block
   * @param downsampling per block, whether it changes resolution or width
   */
  public record Lesion(String cell, String group, double wholeErrorPercent, double[] errorPercent,
      boolean[] downsampling) {}

  /**
   * Training-step time on one backend, both nets trained in this run with the same batches.
   *
   * @param backend the backend
   * @param constantSeconds median seconds per step of the constant-depth net (over seeds)
   * @param stochasticSeconds median seconds per step of the stochastic-depth net
   * @param meanActiveBlocks blocks that actually ran per step in the stochastic-depth runs, on average
   */
  public record Timing(String backend, double constantSeconds, double stochasticSeconds, double meanActiveBlocks) {
    /** The fraction of the constant-depth step time saved, e.g. 0.25. */
    public double saving() {
      return 1 - stochasticSeconds / constantSeconds;
    }
  }
}
