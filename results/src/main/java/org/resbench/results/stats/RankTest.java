package org.resbench.results.stats;

import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * The Mann–Whitney U (Wilcoxon rank-sum) test of two independent samples, from Commons Math: whether values of
 * one sample tend to be larger than those of the other, without assuming a distribution (timings are skewed and
 * have outliers). Stateless and thread-safe.
 *
 * <p>The p-value is Commons Math's two-sided normal approximation of U's distribution (ties get average ranks;
 * no continuity or tie correction), which is close to exact from about eight values per sample. Samples of
 * timings taken one after another are not quite independent (a machine drifts), so a small p-value alone does
 * not make a regression: callers pair it with an effect-size threshold.
 */
public final class RankTest {
  private RankTest() {}

  /**
   * The test's outcome.
   *
   * @param u the U statistic of {@code x} (pairs (x_i, y_j) with x_i &gt; y_j, ties counting a half)
   * @param pValue two-sided p-value
   * @param probabilityXGreater {@code u / (n_x n_y)}: the chance that a random x exceeds a random y (0.5: no
   *     shift), the test's own effect size
   */
  public record Result(double u, double pValue, double probabilityXGreater) {}

  /** Tests {@code x} against {@code y}; each needs at least one value, none NaN. */
  public static Result mannWhitney(double[] x, double[] y) {
    if (x.length == 0 || y.length == 0) {
      throw new IllegalArgumentException("rank test of " + x.length + " and " + y.length
          + " values; allowed: at least one value in each sample");
    }
    for (double[] s : new double[][] {x, y}) {
      for (double v : s) {
        if (Double.isNaN(v)) {
          throw new IllegalArgumentException("rank test: a NaN sample; allowed: numbers");
        }
      }
    }
    double u = uStatistic(x, y);
    double p = new MannWhitneyUTest(NaNStrategy.FAILED, TiesStrategy.AVERAGE).mannWhitneyUTest(x, y);
    return new Result(u, p, u / ((double) x.length * y.length));
  }

  /** U of x: counted pair by pair (exact for the small samples benchmarks keep). */
  static double uStatistic(double[] x, double[] y) {
    double u = 0;
    for (double a : x) {
      for (double b : y) {
        u += a > b ? 1 : a == b ? 0.5 : 0;
      }
    }
    return u;
  }
}
