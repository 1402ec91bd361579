package org.resbench.experiments.stats;

/**
 * Least-squares fits of decay laws to y(L) in linear space (so values near zero or negative, which white-noise
 * correlations produce, do not break the fit the way a log transform would):
 * exponential {@code y = a * b^L} and power {@code y = a * L^-c}. For a fixed rate the best scale a has a closed
 * form; the rate is found by a grid search refined by golden-section search. Stateless and thread-safe.
 */
public final class CurveFit {
  private CurveFit() {}

  /**
   * One fitted law.
   *
   * @param law "exponential" or "power"
   * @param a the scale
   * @param rate b (exponential) or c (power)
   * @param rss residual sum of squares
   * @param r2 1 - RSS / TSS (NaN when the data are constant)
   */
  public record Fit(String law, double a, double rate, double rss, double r2) {
    /** The fitted value at x. */
    public double at(double x) {
      return law.equals("exponential") ? a * Math.pow(rate, x) : a * Math.pow(x, -rate);
    }
  }

  /** Fits {@code a * b^x} with b in [1e-4, 1.5]. */
  public static Fit exponential(double[] x, double[] y) {
    return fit("exponential", x, y, 1e-4, 1.5, (b, xi) -> Math.pow(b, xi));
  }

  /** Fits {@code a * x^-c} with c in [-1, 6]; x must be positive. */
  public static Fit power(double[] x, double[] y) {
    for (double v : x) {
      if (!(v > 0)) {
        throw new IllegalArgumentException("power-law fit: x=" + v + "; allowed: x > 0");
      }
    }
    return fit("power", x, y, -1, 6, (c, xi) -> Math.pow(xi, -c));
  }

  private interface Basis {
    double value(double rate, double x);
  }

  private static Fit fit(String law, double[] x, double[] y, double lo, double hi, Basis f) {
    if (x.length != y.length || x.length < 2) {
      throw new IllegalArgumentException(law + " fit: " + x.length + " x and " + y.length + " y values; allowed: two or"
          + " more pairs");
    }
    int grid = 2000;
    double bestRate = lo;
    double bestRss = Double.POSITIVE_INFINITY;
    for (int i = 0; i <= grid; i++) {
      double r = lo + (hi - lo) * i / grid;
      double rss = rss(x, y, f, r);
      if (rss < bestRss) {
        bestRss = rss;
        bestRate = r;
      }
    }
    double step = (hi - lo) / grid;
    double a0 = Math.max(lo, bestRate - step);
    double b0 = Math.min(hi, bestRate + step);
    double g = (Math.sqrt(5) - 1) / 2;
    double c = b0 - g * (b0 - a0);
    double d = a0 + g * (b0 - a0);
    for (int it = 0; it < 100; it++) {
      if (rss(x, y, f, c) < rss(x, y, f, d)) {
        b0 = d;
      } else {
        a0 = c;
      }
      c = b0 - g * (b0 - a0);
      d = a0 + g * (b0 - a0);
    }
    double rate = (a0 + b0) / 2;
    if (rss(x, y, f, rate) > bestRss) {
      rate = bestRate;
    }
    double scale = scale(x, y, f, rate);
    double rss = rss(x, y, f, rate);
    double mean = 0;
    for (double v : y) {
      mean += v;
    }
    mean /= y.length;
    double tss = 0;
    for (double v : y) {
      tss += (v - mean) * (v - mean);
    }
    return new Fit(law, scale, rate, rss, tss > 0 ? 1 - rss / tss : Double.NaN);
  }

  private static double scale(double[] x, double[] y, Basis f, double rate) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < x.length; i++) {
      double v = f.value(rate, x[i]);
      num += y[i] * v;
      den += v * v;
    }
    return den > 0 && Double.isFinite(den) ? num / den : 0;
  }

  private static double rss(double[] x, double[] y, Basis f, double rate) {
    double a = scale(x, y, f, rate);
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double r = y[i] - a * f.value(rate, x[i]);
      s += r * r;
    }
    return Double.isFinite(s) ? s : Double.POSITIVE_INFINITY;
  }
}
