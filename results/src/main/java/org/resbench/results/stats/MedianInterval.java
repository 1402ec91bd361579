package org.resbench.results.stats;

import java.util.Arrays;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * A sample median with its distribution-free confidence interval from order statistics: with the values sorted,
 * {@code [x(j), x(n + 1 - j)]} for the largest {@code j} whose coverage {@code 1 - 2 P(B <= j - 1)},
 * {@code B ~ Binomial(n, 1/2)}, is at least the level (so the actual coverage is at least the level). It assumes
 * nothing about the distribution, which suits timings and ratios of timings (skewed, with outliers). With too few
 * values for the level (fewer than 6 at 95%) the bounds are NaN. Immutable.
 *
 * @param median the sample median (type 7, as {@link Samples#median()})
 * @param lower the interval's lower bound
 * @param upper the interval's upper bound
 * @param level the confidence level asked for, in (0, 1)
 * @param n the number of values
 */
public record MedianInterval(double median, double lower, double upper, double level, int n) {

  /** The median of {@code values} and its interval at {@code level}. */
  public static MedianInterval of(double[] values, double level) {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("confidence level=" + level + "; allowed: (0, 1), e.g. 0.95");
    }
    double median = new Samples(values).median();
    int n = values.length;
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    BinomialDistribution b = new BinomialDistribution(null, n, 0.5);
    int best = 0;
    for (int j = 1; j <= (n + 1) / 2; j++) {
      if (b.cumulativeProbability(j - 1) <= (1 - level) / 2) {
        best = j;
      } else {
        break;
      }
    }
    if (best == 0) {
      return new MedianInterval(median, Double.NaN, Double.NaN, level, n);
    }
    return new MedianInterval(median, sorted[best - 1], sorted[n - best], level, n);
  }
}
