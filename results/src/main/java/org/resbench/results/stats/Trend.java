package org.resbench.results.stats;

import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/** Whether one quantity rises with another: Spearman's rank correlation from Commons Math. Stateless. */
public final class Trend {
  private Trend() {}

  /**
   * Spearman's rank correlation of {@code x} and {@code y} (ties ranked by their average), in [-1, 1]; NaN with
   * fewer than two pairs or when either is constant.
   */
  public static double spearman(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("spearman: " + x.length + " x and " + y.length + " y values; allowed: equal"
          + " lengths");
    }
    if (x.length < 2) {
      return Double.NaN;
    }
    return new SpearmansCorrelation().correlation(x, y);
  }
}
