package org.resbench.experiments;

import java.util.List;
import java.util.stream.Collectors;
import org.resbench.experiments.shattered.ShatteredGradientsExperiment;

/** The experiments resbench knows, by name. Immutable and thread-safe. */
public final class ExperimentCatalog {
  private static final List<Experiment<?>> ALL = List.of(new ShatteredGradientsExperiment());

  private ExperimentCatalog() {}

  public static List<Experiment<?>> all() {
    return ALL;
  }

  /** The experiment with this name, or an {@link IllegalArgumentException} listing the valid ones. */
  public static Experiment<?> get(String name) {
    return ALL.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
        "unknown experiment '" + name + "'; allowed: " + ALL.stream().map(Experiment::name)
            .collect(Collectors.joining(", "))));
  }
}
