package org.resbench.experiments;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.spec.MemoryEstimate;

/**
 * One entry of the experiment catalog: a named, typed configuration (a record loaded from YAML with the
 * profiles {@code smoke} and {@code paper}) and a run method. Implementations are stateless and thread-safe.
 *
 * @param <C> the configuration record
 */
public interface Experiment<C> {

  /** The name the CLI takes, e.g. {@code shattered-gradients}. */
  String name();

  /** One line for the catalog. */
  String description();

  /** The configuration record's class (YAML fields map to its components). */
  Class<C> configType();

  /** What a backend must be able to do for this experiment; the runner skips other backends and says why. */
  Set<Capability> requiredCapabilities();

  /**
   * Why the experiment cannot run on these backends as a whole (each already has the required capabilities),
   * or empty when it can; e.g. a comparison needs two of them. Checked before any work starts.
   */
  default Optional<String> cannotRunOn(List<Backend> backends) {
    return Optional.empty();
  }

  /**
   * The specs a run with {@code config} will build, each with its batch size and what is done with it, so the
   * runner can check before anything is built that each fits in memory ({@link MemoryEstimate}). Building a spec
   * here is itself checked ({@link MemoryEstimate#requireBuildable}). Default: nothing declared.
   */
  default List<MemoryEstimate.Work> plannedWork(C config) {
    return List.of();
  }

  /** Runs the experiment on the context's backends. Failures of one backend are recorded, not thrown. */
  ExperimentResult run(C config, ExperimentContext context);
}
