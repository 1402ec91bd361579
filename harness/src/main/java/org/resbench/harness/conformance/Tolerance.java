package org.resbench.harness.conformance;

import java.util.Locale;

/**
 * How far a backend's value may lie from the reference's. Element i of a tensor passes when
 * <pre>
 *   |actual_i - expected_i| &lt;= absolute + scaled * rms(expected) + relative * |expected_i|
 * </pre>
 * The scaled term is an absolute floor in the tensor's own units: a float32 engine's error on an element
 * is proportional to the size of the terms summed into it, not to the element itself, so a relative test
 * alone would fail on elements that are small by cancellation (most of a gradient), and a fixed absolute
 * floor would mean nothing across tensors whose scales differ by orders of magnitude. Immutable.
 *
 * @param relative allowed error per unit of {@code |expected_i|}
 * @param scaled allowed error per unit of the root mean square of the whole expected tensor
 * @param absolute allowed error in the tensor's units (for tensors that are exactly 0)
 */
public record Tolerance(double relative, double scaled, double absolute) {

  public Tolerance {
    check("relative", relative);
    check("scaled", scaled);
    check("absolute", absolute);
  }

  private static void check(String field, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("tolerance " + field + "=" + v + "; allowed: a finite value >= 0");
    }
  }

  /** The largest error allowed at an element whose expected value is {@code expected}. */
  public double bound(double expected, double expectedRms) {
    return absolute + scaled * expectedRms + relative * Math.abs(expected);
  }

  /** This tolerance with every term multiplied by {@code factor} (e.g. for a looser parity report). */
  public Tolerance times(double factor) {
    return new Tolerance(relative * factor, scaled * factor, absolute * factor);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "|error| <= %.1g + %.1g x rms(expected) + %.1g x |expected|", absolute, scaled,
        relative);
  }
}
