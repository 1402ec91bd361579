package org.resbench.results.stats;

import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.descriptive.moment.Variance;

/**
 * Correlation statistics of gradient sequences, in double precision. Pearson's correlation comes from Commons
 * Math; the autocorrelation is written here because Commons Math has none. Stateless and thread-safe.
 */
public final class Correlations {
  private Correlations() {}

  /**
   * The autocorrelation of a scalar sequence at lags 0..maxLag, with the standard (biased) estimator
   * {@code r(k) = sum_{i<n-k} (g_i - m)(g_{i+k} - m) / sum_i (g_i - m)^2}, so r(0) = 1. A constant sequence
   * (zero variance, up to rounding) is perfectly correlated: r(k) = 1 for every lag.
   */
  public static double[] autocorrelation(double[] g, int maxLag) {
    int n = g.length;
    if (maxLag < 0 || maxLag >= n) {
      throw new IllegalArgumentException("maxLag=" + maxLag + " for " + n + " samples; allowed: 0.." + (n - 1));
    }
    double m = 0;
    for (double v : g) {
      m += v;
    }
    m /= n;
    double var = 0;
    double scale = 0;
    for (double v : g) {
      var += (v - m) * (v - m);
      scale = Math.max(scale, Math.abs(v));
    }
    double[] r = new double[maxLag + 1];
    if (var <= 1e-24 * Math.max(1e-300, scale * scale) * n) {
      java.util.Arrays.fill(r, 1.0);
      return r;
    }
    for (int k = 0; k <= maxLag; k++) {
      double s = 0;
      for (int i = 0; i + k < n; i++) {
        s += (g[i] - m) * (g[i + k] - m);
      }
      r[k] = s / var;
    }
    return r;
  }

  /**
   * Pearson's correlation of two equally long vectors (Commons Math), with the constant cases defined rather
   * than NaN: 1 when both are constant, 0 when exactly one is.
   */
  public static double pearson(double[] a, double[] b) {
    if (a.length != b.length || a.length < 1) {
      throw new IllegalArgumentException("pearson: lengths " + a.length + " and " + b.length
          + "; allowed: equal and at least 1");
    }
    boolean ca = a.length < 2 || new Variance().evaluate(a) == 0;
    boolean cb = b.length < 2 || new Variance().evaluate(b) == 0;
    if (ca || cb) {
      return ca && cb ? 1 : 0;
    }
    return new PearsonsCorrelation().correlation(a, b);
  }

  /** Pearson's correlation of {@code length} floats of {@code a} and of {@code b} from the given offsets. */
  public static double pearson(float[] a, int aOffset, float[] b, int bOffset, int length) {
    double[] x = new double[length];
    double[] y = new double[length];
    for (int i = 0; i < length; i++) {
      x[i] = a[aOffset + i];
      y[i] = b[bOffset + i];
    }
    return pearson(x, y);
  }
}
