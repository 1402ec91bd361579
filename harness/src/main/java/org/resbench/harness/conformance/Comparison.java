package org.resbench.harness.conformance;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * All tensors of one {@link Quantity} compared in one setting (e.g. every parameter gradient of one net on
 * one backend): a cell of the parity table. Passes when every tensor passes. Immutable.
 *
 * @param quantity what was compared
 * @param context where: spec, backends, mode, gates, e.g. {@code resnet-8-in3x8x8: ort-cpu vs reference, BN TRAIN}
 * @param tensors one comparison per tensor, in the spec's order
 */
public record Comparison(Quantity quantity, String context, List<TensorComparison> tensors) {

  public Comparison {
    tensors = List.copyOf(tensors);
    if (tensors.isEmpty()) {
      throw new IllegalArgumentException("comparison of " + quantity + " in " + context + ": no tensors; allowed: one"
          + " or more");
    }
  }

  public boolean passed() {
    return tensors.stream().allMatch(TensorComparison::passed);
  }

  /** The tensors that failed. */
  public List<TensorComparison> failures() {
    return tensors.stream().filter(t -> !t.passed()).toList();
  }

  /** The tensor closest to (or furthest beyond) its bound. */
  public TensorComparison worst() {
    return tensors.stream().max(Comparator.comparingDouble(TensorComparison::worstRatio)).orElseThrow();
  }

  /** The largest absolute error over all tensors. */
  public double maxAbsError() {
    return tensors.stream().mapToDouble(TensorComparison::maxAbsError).max().orElseThrow();
  }

  /** The largest relative error over all tensors (elements whose expected value is not 0). */
  public double maxRelError() {
    return tensors.stream().mapToDouble(TensorComparison::maxRelError).max().orElseThrow();
  }

  /**
   * A summary line, then one line per failed tensor (or for the worst tensor when all passed): what the
   * suite prints on failure.
   */
  public String describe() {
    String head = String.format(Locale.ROOT, "%s, %s: %s over %d tensor(s); max abs error %.3g, max rel error %.3g,"
        + " worst error/bound %.3g", quantity.label(), context, passed() ? "ok" : failures().size() + " FAILED",
        tensors.size(), maxAbsError(), maxRelError(), worst().worstRatio());
    List<TensorComparison> shown = passed() ? List.of(worst()) : failures();
    return head + shown.stream().map(t -> "\n  " + t.describe()).collect(Collectors.joining());
  }

  @Override
  public String toString() {
    return describe();
  }
}
