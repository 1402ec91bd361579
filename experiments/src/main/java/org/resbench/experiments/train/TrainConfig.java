package org.resbench.experiments.train;

import java.util.List;
import org.resbench.experiments.training.ConfigChecks;
import org.resbench.experiments.training.TrainingSettings;
import org.resbench.harness.spec.SpecNames;

/**
 * The {@code train} experiment's configuration. Immutable; validated at construction.
 *
 * @param spec the net (without -in/-out it is adapted to the data set's shape)
 * @param data data sets in preference order: the first present one is used (e.g. [cifar10, fashion-mnist])
 * @param seeds one run per seed and backend (weights, data order, augmentation and gates)
 * @param training how the net is trained
 * @param init a checkpoint to continue from instead of the seed's weights (on any backend), or null; see
 *     {@link org.resbench.experiments.training.TrainedWeights}
 */
public record TrainConfig(String spec, List<String> data, List<Long> seeds, TrainingSettings training, String init) {
  public TrainConfig {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("spec: none; allowed: a spec name, e.g. resnet-20 (see 'resbench specs')");
    }
    SpecNames.parse(spec);
    data = ConfigChecks.data(data);
    seeds = ConfigChecks.seeds(seeds);
    training = ConfigChecks.training(training);
  }
}
