package org.resbench.experiments.bench;

import java.util.List;
import org.resbench.harness.spec.ModelSpec;

/**
 * What one benchmark run of one spec measures. Immutable; validated at construction.
 *
 * @param spec the model
 * @param batches batch sizes to measure
 * @param warmup unmeasured calls of each (backend, batch, measure) after its first (cold) call, before the rounds
 * @param measure how long each (backend, batch, measure) is timed in each round
 * @param rounds rounds; within a round every backend and batch size runs once, so drift hits all alike
 * @param threads intra-op threads for every backend (0 = engine default)
 * @param train also measure training steps
 * @param bare also measure each backend's bare engine loop, interleaved call by call with the harness path
 * @param seed weights and input data
 */
public record BenchConfig(ModelSpec spec, List<Integer> batches, Phase warmup, Phase measure, int rounds, int threads,
    boolean train, boolean bare, long seed) {
  public BenchConfig {
    if (spec == null) {
      throw new IllegalArgumentException("spec: required");
    }
    if (batches == null || batches.isEmpty() || batches.stream().anyMatch(b -> b == null || b < 1)) {
      throw new IllegalArgumentException("batches=" + batches + "; allowed: one or more sizes >= 1");
    }
    if (warmup == null || measure == null) {
      throw new IllegalArgumentException("warmup=" + warmup + ", measure=" + measure + "; allowed: both given");
    }
    measure.requireMeasuring("measure");
    if (rounds < 1 || threads < 0) {
      throw new IllegalArgumentException("rounds=" + rounds + ", threads=" + threads
          + "; allowed: rounds >= 1, threads >= 0");
    }
    batches = List.copyOf(batches);
  }

  /** The classic form: {@code warmup} calls, then {@code rounds} rounds of {@code iterations} calls. */
  public BenchConfig(ModelSpec spec, List<Integer> batches, int warmup, int iterations, int rounds, int threads,
      boolean train, boolean bare, long seed) {
    this(spec, batches, Phase.calls(checkNonNegative("warmup", warmup)), Phase.calls(checkPositive("iterations",
        iterations)), rounds, threads, train, bare, seed);
  }

  private static int checkNonNegative(String what, int v) {
    if (v < 0) {
      throw new IllegalArgumentException(what + "=" + v + "; allowed: 0 or more");
    }
    return v;
  }

  private static int checkPositive(String what, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(what + "=" + v + "; allowed: 1 or more");
    }
    return v;
  }
}
