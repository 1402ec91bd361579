package org.resbench.results.stats;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * A mean with its two-sided Student-t confidence interval: {@code mean ± t(level, n-1) · sd / sqrt(n)}. With
 * one value the bounds are NaN (no spread can be estimated) and {@link #halfWidth()} is NaN. Immutable.
 *
 * @param mean the sample mean
 * @param sd the sample standard deviation (n - 1), 0 for one value
 * @param n the number of values
 * @param level the confidence level, in (0, 1)
 * @param lower the interval's lower bound
 * @param upper the interval's upper bound
 */
public record Interval(double mean, double sd, int n, double level, double lower, double upper) {

  /** The interval of the mean of {@code values} at {@code level} (e.g. 0.95). */
  public static Interval ofMean(double[] values, double level) {
    if (values.length == 0) {
      throw new IllegalArgumentException("interval of the mean of no values; allowed: at least one value");
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("confidence level=" + level + "; allowed: (0, 1), e.g. 0.95");
    }
    SummaryStatistics s = new SummaryStatistics();
    for (double v : values) {
      s.addValue(v);
    }
    int n = values.length;
    if (n < 2) {
      return new Interval(s.getMean(), 0, 1, level, Double.NaN, Double.NaN);
    }
    double sd = s.getStandardDeviation();
    double t = new TDistribution(n - 1).inverseCumulativeProbability(0.5 + level / 2);
    double half = t * sd / Math.sqrt(n);
    return new Interval(s.getMean(), sd, n, level, s.getMean() - half, s.getMean() + half);
  }

  /** Half the interval's width; NaN with one value. */
  public double halfWidth() {
    return (upper - lower) / 2;
  }

  /** Whether this interval and {@code other} are disjoint (both need two or more values). */
  public boolean separatedFrom(Interval other) {
    return upper < other.lower || other.upper < lower;
  }
}
