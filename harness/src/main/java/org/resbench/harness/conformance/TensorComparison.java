package org.resbench.harness.conformance;

import java.util.Arrays;
import java.util.Locale;
import org.resbench.harness.tensor.HostTensor;

/**
 * One tensor of a backend compared element by element with the reference's: the worst absolute error, the
 * worst relative error (over elements whose expected value is not 0), where each occurred, the element that
 * comes closest to or exceeds its {@link Tolerance} bound, and whether every element is within it.
 * Immutable (the shape array is copied in and out; equality of the shape component is by identity, as for
 * any record with an array).
 *
 * @param quantity what was compared
 * @param tensor which tensor, e.g. {@code block1.conv2.weight}, {@code logits}
 * @param shape the expected shape
 * @param tolerance the bound applied
 * @param elements the number of elements compared
 * @param expectedRms root mean square of the expected tensor (the unit of the scaled bound)
 * @param maxAbsError the largest {@code |actual - expected|}
 * @param maxAbsIndex its flat index, or -1
 * @param maxRelError the largest {@code |actual - expected| / |expected|} over elements with expected != 0
 * @param maxRelIndex its flat index, or -1
 * @param worstIndex the element with the largest error / bound ratio, or -1
 * @param worstRatio that ratio: the check passes when it is at most 1 (infinite for NaN or a shape mismatch)
 * @param worstExpected the expected value there
 * @param worstActual the actual value there
 * @param failures how many elements exceed their bound
 * @param problem a structural problem (shape mismatch, missing tensor), or null
 */
public record TensorComparison(Quantity quantity, String tensor, int[] shape, Tolerance tolerance, int elements,
    double expectedRms, double maxAbsError, int maxAbsIndex, double maxRelError, int maxRelIndex, int worstIndex,
    double worstRatio, double worstExpected, double worstActual, int failures, String problem) {

  public TensorComparison {
    shape = shape.clone();
  }

  /** A copy of the expected shape. */
  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** Compares with the quantity's own tolerance. */
  public static TensorComparison of(Quantity quantity, String tensor, HostTensor expected, HostTensor actual) {
    return of(quantity, tensor, expected, actual, quantity.tolerance());
  }

  /** Compares with an explicit tolerance; {@code actual == null} counts as a missing tensor. */
  public static TensorComparison of(Quantity quantity, String tensor, HostTensor expected, HostTensor actual,
      Tolerance tolerance) {
    if (actual == null) {
      return failed(quantity, tensor, expected.shape(), tolerance, "the backend returned no tensor");
    }
    if (!expected.sameShape(actual)) {
      return failed(quantity, tensor, expected.shape(), tolerance, "shape " + Arrays.toString(actual.shape())
          + " differs from the expected " + Arrays.toString(expected.shape()));
    }
    float[] e = expected.data();
    float[] a = actual.data();
    double[] ed = new double[e.length];
    double[] ad = new double[a.length];
    for (int i = 0; i < e.length; i++) {
      ed[i] = e[i];
      ad[i] = a[i];
    }
    return of(quantity, tensor, expected.shape(), ed, ad, tolerance);
  }

  /** Compares two arrays of the same length laid out in {@code shape}. */
  public static TensorComparison of(Quantity quantity, String tensor, int[] shape, double[] expected, double[] actual,
      Tolerance tolerance) {
    if (expected.length != actual.length) {
      return failed(quantity, tensor, shape, tolerance, actual.length + " elements, expected " + expected.length);
    }
    double sq = 0;
    for (double v : expected) {
      sq += v * v;
    }
    double rms = expected.length == 0 ? 0 : Math.sqrt(sq / expected.length);
    double maxAbs = 0;
    int maxAbsAt = -1;
    double maxRel = 0;
    int maxRelAt = -1;
    double worst = -1;
    int worstAt = -1;
    int failures = 0;
    for (int i = 0; i < expected.length; i++) {
      double err = Math.abs(actual[i] - expected[i]);
      if (Double.isNaN(err)) {
        err = Double.POSITIVE_INFINITY;
      }
      double bound = tolerance.bound(expected[i], rms);
      double ratio = err == 0 ? 0 : err / bound;
      if (err > maxAbs || maxAbsAt < 0) {
        maxAbs = err;
        maxAbsAt = i;
      }
      if (expected[i] != 0 && (err / Math.abs(expected[i]) > maxRel || maxRelAt < 0)) {
        maxRel = err / Math.abs(expected[i]);
        maxRelAt = i;
      }
      if (ratio > worst) {
        worst = ratio;
        worstAt = i;
      }
      if (!(err <= bound)) {
        failures++;
      }
    }
    return new TensorComparison(quantity, tensor, shape, tolerance, expected.length, rms, maxAbs, maxAbsAt, maxRel,
        maxRelAt, worstAt, Math.max(worst, 0), worstAt < 0 ? 0 : expected[worstAt], worstAt < 0 ? 0 : actual[worstAt],
        failures, null);
  }

  private static TensorComparison failed(Quantity q, String tensor, int[] shape, Tolerance t, String problem) {
    return new TensorComparison(q, tensor, shape, t, 0, 0, Double.POSITIVE_INFINITY, -1, Double.POSITIVE_INFINITY, -1,
        -1, Double.POSITIVE_INFINITY, 0, 0, 1, problem);
  }

  /** Whether every element is within its bound and the shapes agree. */
  public boolean passed() {
    return problem == null && failures == 0;
  }

  /** The multi-index of flat index {@code flat} in this tensor's shape, e.g. {@code [2, 0, 3, 1]}. */
  public String position(int flat) {
    if (flat < 0) {
      return "-";
    }
    int[] idx = new int[shape.length];
    int rest = flat;
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = rest % shape[d];
      rest /= shape[d];
    }
    return Arrays.toString(idx);
  }

  /**
   * One line: quantity, tensor, verdict, the worst element against its bound, the worst absolute and relative
   * errors with their positions, and the tolerance.
   */
  public String describe() {
    String head = quantity.label() + " '" + tensor + "' " + Arrays.toString(shape) + ": ";
    if (problem != null) {
      return head + "FAILED: " + problem;
    }
    return head + (passed() ? "ok" : "FAILED (" + failures + " of " + elements + " elements out of tolerance)")
        + String.format(Locale.ROOT, "; worst element %s: expected %.7g, actual %.7g, error/bound %.3g;"
            + " max abs error %.3g at %s; max rel error %.3g at %s; rms(expected) %.3g; tolerance %s",
            position(worstIndex), worstExpected, worstActual, worstRatio, maxAbsError, position(maxAbsIndex),
            maxRelError, position(maxRelIndex), expectedRms, tolerance);
  }

  @Override
  public String toString() {
    return describe();
  }
}
