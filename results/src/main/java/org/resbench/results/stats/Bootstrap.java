package org.resbench.results.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile-bootstrap confidence intervals of statistics of two independent samples. Commons Math has no
 * bootstrap; this is the textbook resampling (each sample with replacement, independently), with a seeded
 * generator so a report shows the same interval every time it is computed. Stateless and thread-safe.
 */
public final class Bootstrap {
  private Bootstrap() {}

  /** Resamples by default: enough for the 2.5% and 97.5% quantiles to move by well under 1% of a ratio. */
  public static final int DEFAULT_RESAMPLES = 2000;

  /**
   * A statistic with its interval.
   *
   * @param estimate the statistic of the samples as measured
   * @param lower the interval's lower bound
   * @param upper the interval's upper bound
   * @param level the confidence level
   * @param resamples how many resamples the bounds come from
   */
  public record Estimate(double estimate, double lower, double upper, double level, int resamples) {
    /** Whether {@code value} lies inside the interval (bounds included). */
    public boolean contains(double value) {
      return value >= lower && value <= upper;
    }
  }

  /**
   * {@code median(now) / median(base)} and its percentile-bootstrap interval at {@code level}.
   *
   * @param seed the resampling stream's seed (same inputs and seed, same interval)
   */
  public static Estimate ratioOfMedians(double[] now, double[] base, double level, int resamples, long seed) {
    if (now.length == 0 || base.length == 0) {
      throw new IllegalArgumentException("ratio of medians of " + now.length + " and " + base.length
          + " values; allowed: at least one value in each sample");
    }
    if (!(level > 0 && level < 1) || resamples < 100) {
      throw new IllegalArgumentException("bootstrap level=" + level + ", resamples=" + resamples
          + "; allowed: level in (0, 1), at least 100 resamples");
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] ratios = new double[resamples];
    double[] a = new double[now.length];
    double[] b = new double[base.length];
    for (int r = 0; r < resamples; r++) {
      for (int i = 0; i < a.length; i++) {
        a[i] = now[random.nextInt(now.length)];
      }
      for (int i = 0; i < b.length; i++) {
        b[i] = base[random.nextInt(base.length)];
      }
      ratios[r] = median(a) / median(b);
    }
    Samples dist = new Samples(ratios);
    double tail = (1 - level) / 2;
    return new Estimate(median(now.clone()) / median(base.clone()), dist.quantile(tail), dist.quantile(1 - tail),
        level, resamples);
  }

  /** The median of {@code v}, sorting it in place. */
  private static double median(double[] v) {
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
