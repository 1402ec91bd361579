package org.resbench.experiments.resnext;

import java.util.List;
import org.resbench.experiments.training.ConfigChecks;
import org.resbench.experiments.training.TrainingSettings;

/**
 * The {@code resnext} experiment's configuration (Xie et al. 2017): cardinality against width at (nearly) equal
 * complexity. Immutable; validated at construction, each message naming the field, the value and what is allowed.
 *
 * @param depth the weighted depth, 9n+2 (ResNeXt-29: 29)
 * @param cardinalities the cardinalities C compared, 1 first (the reference)
 * @param referenceWidth the bottleneck width d of the C = 1 net; every other C gets the width whose net is closest
 *     in {@code match} to it
 * @param match {@code params} or {@code macs}: the complexity kept equal
 * @param tolerance the largest relative difference in complexity from the reference accepted, e.g. 0.05
 * @param data data sets in preference order (the first present is used; the paper: CIFAR-10)
 * @param seeds one net per cardinality, seed and backend
 * @param training how every net is trained
 * @param evalExamples validation examples used at each evaluation (0 = the whole split)
 * @param testExamples test examples for the final error (0 = the whole split)
 */
public record ResNeXtConfig(int depth, List<Integer> cardinalities, int referenceWidth, String match,
    double tolerance, List<String> data, List<Long> seeds, TrainingSettings training, int evalExamples,
    int testExamples) {

  public ResNeXtConfig {
    if (depth < 11 || (depth - 2) % 9 != 0) {
      throw new IllegalArgumentException("depth=" + depth + "; allowed: 9n+2 with n >= 1 (11, 20, 29, ...)");
    }
    if (cardinalities == null || cardinalities.isEmpty() || cardinalities.get(0) != 1
        || cardinalities.stream().anyMatch(c -> c < 1) || cardinalities.stream().distinct().count()
        != cardinalities.size()) {
      throw new IllegalArgumentException("cardinalities=" + cardinalities + "; allowed: distinct values >= 1"
          + " starting with 1 (the reference), e.g. [1, 2, 4, 8]");
    }
    if (referenceWidth < 1) {
      throw new IllegalArgumentException("referenceWidth=" + referenceWidth + "; allowed: 1 or more (e.g. 64)");
    }
    if (!List.of("params", "macs").contains(match)) {
      throw new IllegalArgumentException("match=" + match + "; allowed: params, macs");
    }
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new IllegalArgumentException("tolerance=" + tolerance + "; allowed: (0, 1), e.g. 0.05");
    }
    data = ConfigChecks.data(data);
    seeds = ConfigChecks.seeds(seeds);
    training = ConfigChecks.training(training);
    ConfigChecks.examples(evalExamples, testExamples);
    cardinalities = List.copyOf(cardinalities);
  }
}
