package org.resbench.experiments;

import java.util.List;
import java.util.stream.Collectors;
import org.resbench.results.ResultTypes;

/**
 * The experiments on the class path: the {@link ExperimentPlugin}s registered as
 * {@code org.resbench.results.ResultType} services, sorted by name. Immutable and thread-safe.
 */
public final class ExperimentCatalog {
  private ExperimentCatalog() {}

  /** Every installed plug-in. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static List<ExperimentPlugin<?, ?>> plugins() {
    List<ExperimentPlugin> found = ResultTypes.installed().all(ExperimentPlugin.class);
    return (List<ExperimentPlugin<?, ?>>) (List) found.stream()
        .sorted(java.util.Comparator.comparing(ExperimentPlugin::name)).toList();
  }

  /** Every installed experiment. */
  public static List<Experiment<?>> all() {
    return plugins().stream().<Experiment<?>>map(ExperimentPlugin::experiment).toList();
  }

  /** The experiment with this name, or an {@link IllegalArgumentException} listing the valid ones. */
  public static Experiment<?> get(String name) {
    return plugin(name).experiment();
  }

  /** The plug-in with this name, or an {@link IllegalArgumentException} listing the valid ones. */
  public static ExperimentPlugin<?, ?> plugin(String name) {
    return plugins().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(
        () -> new IllegalArgumentException("unknown experiment '" + name + "'; allowed: " + plugins().stream()
            .map(ExperimentPlugin::name).collect(Collectors.joining(", "))));
  }
}
