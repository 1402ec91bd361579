package org.resbench.experiments.training;

import java.util.List;

/**
 * The checks every training experiment's configuration makes of its common fields, with one wording: data sets,
 * seeds, the training section, evaluation sizes. Each returns the value to store (an immutable copy) or throws an
 * {@link IllegalArgumentException} naming the field, the value and what is allowed. Stateless.
 */
public final class ConfigChecks {
  private ConfigChecks() {}

  /** Data set names in preference order, at least one. */
  public static List<String> data(List<String> data) {
    if (data == null || data.isEmpty()) {
      throw new IllegalArgumentException("data: none; allowed: data set names in preference order, e.g. [cifar10,"
          + " fashion-mnist] (fashion-mnist, mnist, cifar10, synthetic, synthetic-CxHxW[-nN])");
    }
    return List.copyOf(data);
  }

  /** One or more distinct seeds. */
  public static List<Long> seeds(List<Long> seeds) {
    if (seeds == null || seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
      throw new IllegalArgumentException("seeds=" + seeds + "; allowed: one or more distinct seeds, e.g. [0, 1, 2]");
    }
    return List.copyOf(seeds);
  }

  /** The training section, present. */
  public static TrainingSettings training(TrainingSettings training) {
    if (training == null) {
      throw new IllegalArgumentException("training: none; allowed: a training section (see the profiles)");
    }
    return training;
  }

  /** Evaluation and test example counts, each 0 (the whole split) or more. */
  public static void examples(int evalExamples, int testExamples) {
    if (evalExamples < 0 || testExamples < 0) {
      throw new IllegalArgumentException("evalExamples=" + evalExamples + ", testExamples=" + testExamples
          + "; allowed: >= 0 (0 = the whole split)");
    }
  }
}
