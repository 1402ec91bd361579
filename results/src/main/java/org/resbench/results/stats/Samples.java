package org.resbench.results.stats;

import java.util.Arrays;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * Raw samples of one measured quantity and the statistics derived from them (never stored instead of them):
 * quantiles, mean, standard deviation and a confidence interval of the mean, from Commons Math. Immutable;
 * thread-safe.
 */
public final class Samples {
  private final double[] values;
  private final DescriptiveStatistics stats;

  /** Copies {@code values}; at least one, all finite or not (NaN propagates into every statistic). */
  public Samples(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("samples: none; allowed: at least one value");
    }
    this.values = values.clone();
    this.stats = new DescriptiveStatistics(this.values);
    // R-7 (linear interpolation between order statistics, as NumPy's and R's defaults), not Commons' legacy rule.
    this.stats.setPercentileImpl(new Percentile().withEstimationType(EstimationType.R_7));
  }

  /** The samples in measurement order. */
  public double[] values() {
    return values.clone();
  }

  public int count() {
    return values.length;
  }

  /** The q-quantile (0..1), linear interpolation between order statistics (type 7). */
  public double quantile(double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("quantile q=" + q + "; allowed: [0, 1]");
    }
    return q == 0 ? stats.getMin() : stats.getPercentile(100 * q);
  }

  public double median() {
    return quantile(0.5);
  }

  public double min() {
    return stats.getMin();
  }

  public double max() {
    return stats.getMax();
  }

  public double mean() {
    return stats.getMean();
  }

  /** The sample standard deviation (n - 1 in the denominator); 0 for one sample. */
  public double standardDeviation() {
    return values.length < 2 ? 0 : stats.getStandardDeviation();
  }

  /** The two-sided Student-t confidence interval of the mean at {@code level} (e.g. 0.95). */
  public Interval meanInterval(double level) {
    return Interval.ofMean(values, level);
  }

  @Override
  public String toString() {
    return "Samples" + Arrays.toString(values);
  }
}
