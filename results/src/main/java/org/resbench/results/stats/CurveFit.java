package org.resbench.results.stats;

import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;
import org.apache.commons.math3.optim.univariate.UnivariatePointValuePair;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Least-squares fits of the {@link DecayLaw}s to y(x) in linear space, so values near zero or negative (which
 * white-noise correlations produce) do not break the fit the way a log transform would.
 *
 * <p>Why not Commons Math's general curve fitters: for a fixed rate the best scale {@code a} has a closed
 * form ({@code Σ y·f / Σ f²}), so the problem is one-dimensional in the rate. A grid over the rate's whole
 * range first finds the global basin (the residual is not unimodal in the rate, and a Levenberg–Marquardt fit
 * from one starting point lands in the wrong basin on noisy data), then Commons Math's {@link BrentOptimizer}
 * refines within one grid step. Stateless and thread-safe.
 */
public final class CurveFit {
  private CurveFit() {}

  private static final int GRID = 2000;

  /**
   * One fitted law.
   *
   * @param law which law
   * @param a the scale
   * @param rate b (exponential) or c (power)
   * @param rss residual sum of squares
   * @param r2 1 - RSS / TSS (NaN when the data are constant)
   */
  public record Fit(DecayLaw law, double a, double rate, double rss, double r2) {
    /** The fitted value at x. */
    public double at(double x) {
      return law.value(a, rate, x);
    }
  }

  /** Fits {@code a * b^x} with b in [1e-4, 1.5]. */
  public static Fit exponential(double[] x, double[] y) {
    return fit(DecayLaw.EXPONENTIAL, x, y, 1e-4, 1.5);
  }

  /**
   * Fits {@code a * b^x} by ordinary least squares on {@code ln y} (Commons Math's {@link SimpleRegression} of
   * {@code ln y} on x: {@code ln a} is the intercept, {@code ln b} the slope), for quantities that span orders of
   * magnitude, where a linear-space fit would see only the largest values (e.g. gradient magnitudes per path
   * length, which fall by a constant factor per block). The returned {@link Fit#rss} and {@link Fit#r2} are those
   * of the log-linear regression. Every y must be positive and finite.
   */
  public static Fit exponentialLog(double[] x, double[] y) {
    if (x.length != y.length || x.length < 2) {
      throw new IllegalArgumentException("log-linear exponential fit: " + x.length + " x and " + y.length
          + " y values; allowed: two or more pairs");
    }
    SimpleRegression r = new SimpleRegression(true);
    for (int i = 0; i < x.length; i++) {
      if (!(y[i] > 0) || Double.isInfinite(y[i])) {
        throw new IllegalArgumentException("log-linear exponential fit: y=" + y[i] + " at x=" + x[i]
            + "; allowed: finite y > 0");
      }
      r.addData(x[i], Math.log(y[i]));
    }
    double tss = r.getTotalSumSquares();
    return new Fit(DecayLaw.EXPONENTIAL, Math.exp(r.getIntercept()), Math.exp(r.getSlope()), r.getSumSquaredErrors(),
        tss > 0 ? r.getRSquare() : Double.NaN);
  }

  /** Fits {@code a * x^-c} with c in [-1, 6]; x must be positive. */
  public static Fit power(double[] x, double[] y) {
    for (double v : x) {
      if (!(v > 0)) {
        throw new IllegalArgumentException("power-law fit: x=" + v + "; allowed: x > 0");
      }
    }
    return fit(DecayLaw.POWER, x, y, -1, 6);
  }

  /** Both laws, and which fits better (smaller residual sum of squares). */
  public record Comparison(Fit exponential, Fit power) {
    public DecayLaw better() {
      return exponential.rss() <= power.rss() ? DecayLaw.EXPONENTIAL : DecayLaw.POWER;
    }

    public Fit best() {
      return better() == DecayLaw.EXPONENTIAL ? exponential : power;
    }
  }

  /** Fits both laws to the same data ({@code x > 0}). */
  public static Comparison both(double[] x, double[] y) {
    return new Comparison(exponential(x, y), power(x, y));
  }

  private static Fit fit(DecayLaw law, double[] x, double[] y, double lo, double hi) {
    if (x.length != y.length || x.length < 2) {
      throw new IllegalArgumentException(law.label() + " fit: " + x.length + " x and " + y.length
          + " y values; allowed: two or more pairs");
    }
    double bestRate = lo;
    double bestRss = Double.POSITIVE_INFINITY;
    for (int i = 0; i <= GRID; i++) {
      double r = lo + (hi - lo) * i / GRID;
      double rss = rss(law, x, y, r);
      if (rss < bestRss) {
        bestRss = rss;
        bestRate = r;
      }
    }
    double step = (hi - lo) / GRID;
    double from = Math.max(lo, bestRate - step);
    double to = Math.min(hi, bestRate + step);
    UnivariatePointValuePair refined = new BrentOptimizer(1e-12, 1e-14).optimize(new MaxEval(500),
        new UnivariateObjectiveFunction(r -> rss(law, x, y, r)), GoalType.MINIMIZE,
        new SearchInterval(from, to, bestRate));
    double rate = refined.getValue() <= bestRss ? refined.getPoint() : bestRate;
    double rss = rss(law, x, y, rate);
    double mean = 0;
    for (double v : y) {
      mean += v;
    }
    mean /= y.length;
    double tss = 0;
    for (double v : y) {
      tss += (v - mean) * (v - mean);
    }
    return new Fit(law, scale(law, x, y, rate), rate, rss, tss > 0 ? 1 - rss / tss : Double.NaN);
  }

  /** The least-squares scale for a fixed rate: {@code Σ y·f / Σ f²}. */
  private static double scale(DecayLaw law, double[] x, double[] y, double rate) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < x.length; i++) {
      double v = law.basis(rate, x[i]);
      num += y[i] * v;
      den += v * v;
    }
    return den > 0 && Double.isFinite(den) ? num / den : 0;
  }

  private static double rss(DecayLaw law, double[] x, double[] y, double rate) {
    double a = scale(law, x, y, rate);
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double r = y[i] - a * law.basis(rate, x[i]);
      s += r * r;
    }
    return Double.isFinite(s) ? s : Double.POSITIVE_INFINITY;
  }
}
