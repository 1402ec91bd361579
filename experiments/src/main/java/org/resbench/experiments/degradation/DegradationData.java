package org.resbench.experiments.degradation;

import java.util.List;
import org.resbench.experiments.training.TrainedRun;
import org.resbench.results.ExperimentData;

/**
 * The {@code degradation} experiment's results: every trained net, the layer responses of each, and the
 * computed shape verdict. Immutable.
 *
 * @param dataset the data set used
 * @param paperComparable whether it is CIFAR-10, so the paper's test errors may stand beside ours
 * @param families the families compared
 * @param depths the depths compared
 * @param runs one per family, depth, backend and seed (group {@code FAMILY-DEPTH})
 * @param responses the 3x3 layers' response spread of each trained net (Fig. 7)
 * @param verdicts per backend: whether training error rises with depth for plain nets and not for ResNets (empty
 *     while running)
 */
public record DegradationData(String dataset, boolean paperComparable, List<String> families, List<Integer> depths,
    List<TrainedRun> runs, List<LayerResponses> responses, List<Verdict> verdicts) implements ExperimentData {

  public DegradationData {
    families = List.copyOf(families);
    depths = List.copyOf(depths);
    runs = List.copyOf(runs);
    responses = List.copyOf(responses);
    verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
  }

  /**
   * The standard deviation of each 3x3 convolution's response (after its BatchNorm, before the ReLU or the
   * addition) over test examples, in layer order, for one trained net.
   *
   * @param cell the trained run's cell
   * @param family plain or resnet
   * @param depth the weighted depth
   * @param layers the probe points, in layer order
   * @param std the population standard deviation of every value of each layer's response
   */
  public record LayerResponses(String cell, String family, int depth, List<String> layers, double[] std) {}

  /**
   * The computed shape verdict on the final training error (mean over seeds of the last evaluation's
   * training error).
   *
   * @param family the family judged
   * @param shallowest the shallowest depth
   * @param deepest the deepest depth
   * @param shallowError mean final training error at the shallowest depth, percent
   * @param shallowHalfWidth its 95% half-width (NaN with one seed)
   * @param deepError mean final training error at the deepest depth, percent
   * @param deepHalfWidth its 95% half-width (NaN with one seed)
   * @param spearman Spearman's rank correlation of depth and final training error over every depth and seed
   * @param rises whether the error at the deepest depth is above that at the shallowest
   * @param separated whether the two 95% intervals are disjoint (false with one seed)
   */
  public record FamilyTrend(String family, int shallowest, int deepest, double shallowError, double shallowHalfWidth,
      double deepError, double deepHalfWidth, double spearman, boolean rises, boolean separated) {}

  /**
   * The verdict of one backend's runs.
   *
   * @param backend the backend whose runs were judged
   * @param trends one per family
   * @param reproduced plain nets' training error rises with depth and ResNets' does not
   * @param text one or two sentences for a reader
   */
  public record Verdict(String backend, List<FamilyTrend> trends, boolean reproduced, String text) {
    public Verdict {
      trends = List.copyOf(trends);
    }
  }
}
