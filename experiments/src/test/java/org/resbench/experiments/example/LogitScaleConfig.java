package org.resbench.experiments.example;

import java.util.List;
import org.resbench.harness.spec.SpecNames;

/**
 * The worked example's configuration (README, "Adding an experiment"). Immutable; validated at construction.
 *
 * @param specs spec names
 * @param batch examples per batch
 * @param seed weights and inputs
 */
public record LogitScaleConfig(List<String> specs, int batch, long seed) {
  public LogitScaleConfig {
    if (specs == null || specs.isEmpty()) {
      throw new IllegalArgumentException("specs: none; allowed: one or more spec names, e.g. [resnet-8-in3x8x8]");
    }
    specs.forEach(SpecNames::parse);
    if (batch < 1) {
      throw new IllegalArgumentException("batch=" + batch + "; allowed: 1 or more");
    }
    specs = List.copyOf(specs);
  }
}
