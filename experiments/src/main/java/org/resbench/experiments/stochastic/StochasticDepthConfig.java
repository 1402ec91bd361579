package org.resbench.experiments.stochastic;

import java.util.List;
import org.resbench.experiments.training.ConfigChecks;
import org.resbench.experiments.training.TrainingSettings;

/**
 * The {@code stochastic-depth} experiment's configuration (Huang et al. 2016). Immutable; validated at
 * construction, each message naming the field, the value and what is allowed.
 *
 * @param depth the ResNet's weighted depth, 6n+2 (the paper: 110)
 * @param survival p_L, the last block's survival probability under linear decay, in (0, 1] (the paper: 0.5)
 * @param data data sets in preference order (the first present is used; the paper: CIFAR-10)
 * @param seeds one constant-depth and one stochastic-depth net per seed and backend
 * @param training how both nets are trained (the paper: Nesterov momentum)
 * @param evalExamples validation examples used at each evaluation (0 = the whole split)
 * @param testExamples test examples for the final error, the test-time comparison and the lesions (0 = all)
 * @param lesions whether to delete each single block of both trained nets
 */
public record StochasticDepthConfig(int depth, double survival, List<String> data, List<Long> seeds,
    TrainingSettings training, int evalExamples, int testExamples, boolean lesions) {

  public StochasticDepthConfig {
    if (depth < 8 || (depth - 2) % 6 != 0) {
      throw new IllegalArgumentException("depth=" + depth + "; allowed: 6n+2 with n >= 1 (8, 14, 20, 56, 110, ...)");
    }
    if (!(survival > 0 && survival <= 1)) {
      throw new IllegalArgumentException("survival=" + survival + "; allowed: p_L in (0, 1], e.g. 0.5 (the paper)");
    }
    data = ConfigChecks.data(data);
    seeds = ConfigChecks.seeds(seeds);
    training = ConfigChecks.training(training);
    ConfigChecks.examples(evalExamples, testExamples);
  }

  /** The constant-depth net. */
  String constantSpec() {
    return "resnet-" + depth;
  }

  /** The stochastic-depth net with linear decay to {@link #survival}. */
  String stochasticSpec() {
    return "resnet-" + depth + "-sd" + survival;
  }
}
