package org.resbench.results;

import java.util.List;

/**
 * The {@code parity} experiment: the same spec, weights, batches and gates on every backend, compared with
 * the reference backend quantity by quantity. Immutable.
 *
 * @param specs the specs compared (canonical names)
 * @param reference the oracle backend's name
 * @param backends the backends compared with it
 * @param trainSteps length of the training trajectories
 * @param checks one per (spec, backend, quantity)
 * @param trajectories loss per step, one per (spec, backend), the reference included
 * @param skipped quantities a backend could not produce, with the reason
 */
public record ParityData(List<String> specs, String reference, List<String> backends, int trainSteps,
    List<Check> checks, List<Trajectory> trajectories, List<Skip> skipped) implements ExperimentData {

  public ParityData {
    specs = List.copyOf(specs);
    backends = List.copyOf(backends);
    checks = List.copyOf(checks);
    trajectories = List.copyOf(trajectories);
    skipped = List.copyOf(skipped);
  }

  /**
   * One comparison: the worst absolute and relative difference over all elements of all tensors of a
   * quantity, where the worst one was, and the tolerances it was held to.
   */
  public record Check(String spec, String backend, String quantity, String worstTensor, int worstIndex,
      double maxAbsError, double maxRelError, double absTolerance, double relTolerance, boolean passed) {}

  /** Loss at each training step. */
  public record Trajectory(String spec, String backend, double[] losses) {}

  /** A quantity not compared, and why. */
  public record Skip(String spec, String backend, String quantity, String reason) {}

  /** Whether every check passed. */
  public boolean allPassed() {
    return checks.stream().allMatch(Check::passed);
  }
}
