package org.resbench.results.stats;

import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * Mean and standard deviation of a stream of values too long to keep (a layer's responses over a test set),
 * accumulated with Commons Math's numerically stable {@link SummaryStatistics}. Not thread-safe.
 */
public final class Moments {
  private final SummaryStatistics stats = new SummaryStatistics();

  /** Adds every value of {@code values}. */
  public Moments add(float[] values) {
    for (float v : values) {
      stats.addValue(v);
    }
    return this;
  }

  public long count() {
    return stats.getN();
  }

  public double mean() {
    return stats.getMean();
  }

  /** The population standard deviation (n in the denominator): the spread of the values themselves. */
  public double populationStandardDeviation() {
    return Math.sqrt(stats.getPopulationVariance());
  }
}
