package org.resbench.harness.conformance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.resbench.harness.tensor.HostTensor;

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

  /**
   * Compares every tensor of {@code expected} (in its order) with the tensor of the same name in
   * {@code actual}, with the quantity's tolerance whose absolute term is raised to
   * {@link Tolerances#QUANTITY_FLOOR} times the RMS over all expected elements of the quantity, plus the
   * tensor's entry in {@code extraAbsolute} if any (for values whose natural scale is not their own size, e.g.
   * a cancelling sum).
   *
   * @param expected the reference's tensors by name
   * @param actual the backend's tensors by name (a missing one fails its comparison)
   * @param extraAbsolute further absolute allowance per tensor name; may be empty
   */
  public static Comparison of(Quantity quantity, String context, Map<String, HostTensor> expected,
      Map<String, HostTensor> actual, Map<String, Double> extraAbsolute) {
    double sq = 0;
    long count = 0;
    for (HostTensor t : expected.values()) {
      for (float v : t.data()) {
        sq += (double) v * v;
      }
      count += t.size();
    }
    double quantityRms = count == 0 ? 0 : Math.sqrt(sq / count);
    Tolerance base = quantity.tolerance();
    List<TensorComparison> out = new ArrayList<>();
    expected.forEach((name, e) -> {
      double absolute = Math.max(base.absolute(), Tolerances.QUANTITY_FLOOR * quantityRms)
          + extraAbsolute.getOrDefault(name, 0.0);
      out.add(TensorComparison.of(quantity, name, e, actual.get(name),
          new Tolerance(base.relative(), base.scaled(), absolute)));
    });
    return new Comparison(quantity, context, out);
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

  /** How many failed tensors {@link #describe()} lists in detail. */
  public static final int LISTED_FAILURES = 8;

  /**
   * A summary line, then one line per failed tensor (the first {@link #LISTED_FAILURES}; or the worst tensor
   * when all passed): what the suite prints on failure.
   */
  public String describe() {
    List<TensorComparison> failed = failures();
    String head = String.format(Locale.ROOT, "%s, %s: %s over %d tensor(s); max abs error %.3g, max rel error %.3g,"
        + " worst error/bound %.3g", quantity.label(), context, passed() ? "ok" : failed.size() + " FAILED",
        tensors.size(), maxAbsError(), maxRelError(), worst().worstRatio());
    List<TensorComparison> shown = passed() ? List.of(worst()) : failed.subList(0, Math.min(failed.size(),
        LISTED_FAILURES));
    String more = failed.size() > LISTED_FAILURES ? "\n  ... and " + (failed.size() - LISTED_FAILURES)
        + " more failed tensor(s)" : "";
    return head + shown.stream().map(t -> "\n  " + t.describe()).collect(Collectors.joining()) + more;
  }

  @Override
  public String toString() {
    return describe();
  }
}
