package org.resbench.experiments;

import java.util.Arrays;

/**
 * Raw samples of one measured quantity and order statistics derived from them (never stored instead of
 * them). Immutable; thread-safe.
 */
public final class Samples {
  private final double[] values;
  private final double[] sorted;

  public Samples(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("samples: none; allowed: at least one value");
    }
    this.values = values.clone();
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  /** The samples in measurement order. */
  public double[] values() {
    return values.clone();
  }

  public int count() {
    return values.length;
  }

  /** The q-quantile (0..1) by linear interpolation between order statistics. */
  public double quantile(double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("quantile q=" + q + "; allowed: [0, 1]");
    }
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  public double median() {
    return quantile(0.5);
  }

  public double min() {
    return sorted[0];
  }

  public double max() {
    return sorted[sorted.length - 1];
  }

  public double mean() {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s / values.length;
  }
}
