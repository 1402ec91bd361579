package org.resbench.experiments.bench;

import java.util.List;
import org.resbench.harness.spec.ModelSpec;

/**
 * What one benchmark run measures. Immutable.
 *
 * @param spec the model
 * @param batches batch sizes to measure
 * @param warmup unmeasured calls before the first round of each (backend, batch, measure)
 * @param iterations measured calls per round
 * @param rounds rounds; within a round every backend and measure runs once, so drift hits all alike
 * @param threads intra-op threads for every backend (0 = engine default)
 * @param train also measure training steps
 * @param bare also measure each backend's bare engine loop, interleaved call by call with the harness path
 * @param seed weights and input data
 */
public record BenchConfig(ModelSpec spec, List<Integer> batches, int warmup, int iterations, int rounds, int threads,
    boolean train, boolean bare, long seed) {
  public BenchConfig {
    if (batches.isEmpty() || batches.stream().anyMatch(b -> b < 1)) {
      throw new IllegalArgumentException("batches=" + batches + "; allowed: one or more sizes >= 1");
    }
    if (warmup < 0 || iterations < 1 || rounds < 1 || threads < 0) {
      throw new IllegalArgumentException("warmup=" + warmup + ", iterations=" + iterations + ", rounds=" + rounds
          + ", threads=" + threads + "; allowed: warmup >= 0, iterations >= 1, rounds >= 1, threads >= 0");
    }
    batches = List.copyOf(batches);
  }
}
