package org.resbench.experiments.parity;

import java.util.List;
import org.resbench.harness.conformance.Scenario;
import org.resbench.harness.spec.SpecNames;

/**
 * Configuration of the parity experiment. Immutable; validated at construction.
 *
 * @param specs spec names to compare (a stochastic-depth net among them exercises random gates)
 * @param scenarios the situations compared (the conformance suite's {@link Scenario}s)
 * @param batchSize examples per batch (2 or more)
 * @param steps length of the training trajectories ({@link Scenario#TRAIN_K_STEPS})
 * @param learningRate the first step's rate; step i of k uses {@code lr * (1 - 0.75 i / k)}
 * @param seeds weights, batches and gates; every check runs once per seed (a check must pass for every seed)
 */
public record ParityConfig(List<String> specs, List<Scenario> scenarios, int batchSize, int steps, double learningRate,
    List<Long> seeds) {

  public ParityConfig {
    if (specs == null || specs.isEmpty()) {
      throw new IllegalArgumentException("specs: none; allowed: one or more spec names, e.g. [resnet-8-in3x8x8]");
    }
    for (String s : specs) {
      SpecNames.parse(s);
    }
    if (scenarios == null || scenarios.isEmpty()) {
      throw new IllegalArgumentException("scenarios: none; allowed: one or more of " + List.of(Scenario.values()));
    }
    if (batchSize < 2) {
      throw new IllegalArgumentException("batchSize=" + batchSize + "; allowed: 2 or more (BN needs two values)");
    }
    if (steps < 1) {
      throw new IllegalArgumentException("steps=" + steps + "; allowed: 1 or more");
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate=" + learningRate + "; allowed: a finite value > 0");
    }
    if (seeds == null || seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
      throw new IllegalArgumentException("seeds=" + seeds + "; allowed: one or more distinct seeds");
    }
    specs = List.copyOf(specs);
    scenarios = List.copyOf(scenarios);
    seeds = List.copyOf(seeds);
  }
}
