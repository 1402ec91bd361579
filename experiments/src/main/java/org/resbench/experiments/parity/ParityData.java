package org.resbench.experiments.parity;

import java.util.List;
import org.resbench.results.ExperimentData;

/**
 * The {@code parity} experiment: the same spec, weights, batches and gates on every backend, compared with
 * the reference backend quantity by quantity. Immutable.
 *
 * @param specs the specs compared (canonical names)
 * @param reference the oracle backend's name
 * @param backends the backends compared with it
 * @param trainSteps length of the training trajectories
 * @param checks one per (spec, backend, scenario, quantity, seed)
 * @param trajectories loss per step, one per (spec, backend) for the first seed, the reference included
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
   * quantity in one scenario, the element closest to (or furthest beyond) its bound, and the tolerance.
   *
   * @param scenario the situation compared, e.g. "k training steps, momentum and weight decay"
   * @param quantity what was compared, e.g. "parameter gradients"
   * @param worstTensor the tensor holding the worst element, e.g. {@code block1.conv2.weight}
   * @param worstPosition that element's multi-index, e.g. {@code [2, 0, 1, 1]}
   * @param worstRatio error / bound at that element: the check passes when it is at most 1
   * @param tolerance the bound's formula with its numbers
   * @param seed the seed of the weights, batches and gates compared
   */
  public record Check(String spec, String backend, String scenario, String quantity, String worstTensor,
      String worstPosition, double maxAbsError, double maxRelError, double worstRatio, String tolerance,
      boolean passed, long seed) {}

  /** Loss at each training step. */
  public record Trajectory(String spec, String backend, double[] losses) {}

  /** A scenario not compared, and why. */
  public record Skip(String spec, String backend, String scenario, String reason) {}

  /** Whether every check passed. */
  public boolean allPassed() {
    return checks.stream().allMatch(Check::passed);
  }
}
