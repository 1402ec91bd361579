package org.resbench.experiments.degradation;

import java.util.List;
import org.resbench.experiments.training.ConfigChecks;
import org.resbench.experiments.training.TrainingSettings;

/**
 * The {@code degradation} experiment's configuration (He et al. 2016, Fig. 6 and 7). Immutable; validated at
 * construction, each message naming the field, the value and what is allowed.
 *
 * @param families {@code plain} and/or {@code resnet} (option A shortcuts, so both have the same parameters)
 * @param depths weighted depths 6n+2 (8, 14, 20, 32, 44, 56, 110, ...)
 * @param data data sets in preference order (the first present is used; the paper: CIFAR-10)
 * @param seeds one run per seed, family, depth and backend
 * @param training how every net is trained
 * @param warmupFromDepth nets at least this deep get the warm-up of {@code training} (He et al.: ResNet-110);
 *     0 for none
 * @param evalExamples validation examples used at each evaluation (0 = the whole validation split)
 * @param testExamples test examples for the final test error (0 = the whole test split)
 * @param responseExamples test examples whose 3x3 layer responses are measured (Fig. 7)
 */
public record DegradationConfig(List<String> families, List<Integer> depths, List<String> data, List<Long> seeds,
    TrainingSettings training, int warmupFromDepth, int evalExamples, int testExamples, int responseExamples) {

  /** The families compared. */
  public static final List<String> FAMILIES = List.of("plain", "resnet");

  public DegradationConfig {
    if (families == null || families.isEmpty() || !FAMILIES.containsAll(families)
        || families.stream().distinct().count() != families.size()) {
      throw new IllegalArgumentException("families=" + families + "; allowed: distinct values of " + FAMILIES);
    }
    if (depths == null || depths.isEmpty() || depths.stream().distinct().count() != depths.size()) {
      throw new IllegalArgumentException("depths=" + depths + "; allowed: distinct depths 6n+2, e.g. [20, 32, 44]");
    }
    for (int d : depths) {
      if (d < 8 || (d - 2) % 6 != 0) {
        throw new IllegalArgumentException("depths: " + d + " is not a depth of He et al.'s CIFAR nets; allowed:"
            + " 6n+2 with n >= 1 (8, 14, 20, 26, 32, 44, 56, 110, ...)");
      }
    }
    data = ConfigChecks.data(data);
    seeds = ConfigChecks.seeds(seeds);
    training = ConfigChecks.training(training);
    ConfigChecks.examples(evalExamples, testExamples);
    if (warmupFromDepth < 0 || responseExamples < 1) {
      throw new IllegalArgumentException("warmupFromDepth=" + warmupFromDepth + ", responseExamples="
          + responseExamples + "; allowed: warmupFromDepth >= 0, responseExamples >= 1");
    }
    families = List.copyOf(families);
    depths = depths.stream().sorted().toList();
  }
}
