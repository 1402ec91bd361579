package org.resbench.experiments.throughput;

import java.util.List;
import org.resbench.experiments.bench.Phase;
import org.resbench.harness.spec.SpecNames;

/**
 * Configuration of the throughput experiment. Immutable; validated at construction.
 *
 * @param specs spec names to measure
 * @param backends which of the run's backends to measure (empty: all of them)
 * @param batches batch sizes
 * @param threads intra-op thread counts, one group of measurements each (0: all cores; counts above the cores are
 *     measured at the core count; empty: the run's {@code --threads})
 * @param train also time training steps
 * @param bare also time each engine's bare inference loop, alternating call by call with the harness path
 * @param warmup unmeasured calls of each (spec, backend, batch, measure) after its first, cold call
 * @param measure how long each (spec, backend, batch, measure) is timed in each round
 * @param rounds rounds; within a round every backend and batch size of a spec runs once
 * @param peakSizes orders n of the n x n matrix products that measure each engine's peak (empty: no peak, so no
 *     roofline fraction)
 * @param peakWarmup unmeasured products per size
 * @param peakMeasure how long each size's products are timed
 * @param seed weights and inputs
 */
public record ThroughputConfig(List<String> specs, List<String> backends, List<Integer> batches, List<Integer> threads,
    boolean train, boolean bare, Phase warmup, Phase measure, int rounds, List<Integer> peakSizes, Phase peakWarmup,
    Phase peakMeasure, long seed) {

  public ThroughputConfig {
    if (specs == null || specs.isEmpty()) {
      throw new IllegalArgumentException("specs: none; allowed: one or more spec names, e.g. [resnet-20]");
    }
    specs.forEach(SpecNames::parse);
    backends = backends == null ? List.of() : List.copyOf(backends);
    if (batches == null || batches.isEmpty() || batches.stream().anyMatch(b -> b == null || b < 1)) {
      throw new IllegalArgumentException("batches=" + batches + "; allowed: one or more sizes >= 1, e.g. [1, 128]");
    }
    threads = threads == null ? List.of() : List.copyOf(threads);
    if (threads.stream().anyMatch(t -> t == null || t < 0)) {
      throw new IllegalArgumentException("threads=" + threads + "; allowed: counts >= 0 (0 = all cores), or []"
          + " for the run's --threads");
    }
    if (warmup == null || measure == null || peakWarmup == null || peakMeasure == null) {
      throw new IllegalArgumentException("warmup, measure, peakWarmup, peakMeasure: required, e.g. {calls: 3,"
          + " seconds: 0.5}");
    }
    measure.requireMeasuring("measure");
    peakMeasure.requireMeasuring("peakMeasure");
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds=" + rounds + "; allowed: 1 or more");
    }
    peakSizes = peakSizes == null ? List.of() : List.copyOf(peakSizes);
    if (peakSizes.stream().anyMatch(n -> n == null || n < 1)) {
      throw new IllegalArgumentException("peakSizes=" + peakSizes + "; allowed: sizes >= 1, e.g. [256, 512, 1024],"
          + " or [] for no peak");
    }
    specs = List.copyOf(specs);
    batches = List.copyOf(batches);
  }
}
