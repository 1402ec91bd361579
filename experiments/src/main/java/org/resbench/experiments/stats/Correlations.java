package org.resbench.experiments.stats;

/** Correlation statistics of gradient sequences, in double precision. Stateless and thread-safe. */
public final class Correlations {
  private Correlations() {}

  /**
   * The autocorrelation of a scalar sequence at lags 0..maxLag, with the standard (biased) estimator
   * {@code r(k) = sum_{i<n-k} (g_i - m)(g_{i+k} - m) / sum_i (g_i - m)^2}, so r(0) = 1. A constant sequence
   * (zero variance) is perfectly correlated: r(k) = 1 for every lag.
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
   * Pearson correlation of two equally long vectors; 1 when both are constant and equal up to a shift, 0
   * when exactly one of them is constant.
   */
  public static double pearson(float[] a, int aOffset, float[] b, int bOffset, int length) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < length; i++) {
      ma += a[aOffset + i];
      mb += b[bOffset + i];
    }
    ma /= length;
    mb /= length;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < length; i++) {
      double x = a[aOffset + i] - ma;
      double y = b[bOffset + i] - mb;
      sab += x * y;
      saa += x * x;
      sbb += y * y;
    }
    if (saa == 0 && sbb == 0) {
      return 1;
    }
    if (saa == 0 || sbb == 0) {
      return 0;
    }
    return sab / Math.sqrt(saa * sbb);
  }

  /** Pearson correlation of whole arrays. */
  public static double pearson(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("pearson: lengths " + a.length + " and " + b.length + "; allowed: equal");
    }
    float[] fa = new float[a.length];
    float[] fb = new float[b.length];
    for (int i = 0; i < a.length; i++) {
      fa[i] = (float) a[i];
      fb[i] = (float) b[i];
    }
    return pearson(fa, 0, fb, 0, a.length);
  }
}
