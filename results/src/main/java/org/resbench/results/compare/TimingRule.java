package org.resbench.results.compare;

import java.util.Locale;
import org.resbench.results.stats.Bootstrap;
import org.resbench.results.stats.RankTest;
import org.resbench.results.stats.Samples;

/**
 * How a timing (seconds per call, smaller is better) is compared with its baseline's raw samples: the
 * Mann–Whitney U test says whether the two samples differ at all, the ratio of medians {@code now / baseline}
 * with its percentile-bootstrap interval says by how much, and a shift counts only when it exceeds the
 * threshold. Symmetric on a log scale: a regression is a ratio above {@code 1 + threshold}, an improvement one
 * below {@code 1 / (1 + threshold)}.
 *
 * <ul>
 *   <li>regression: p &lt; alpha, ratio &gt; 1 + threshold, and the whole interval above 1;
 *   <li>improvement: p &lt; alpha, ratio &lt; 1 / (1 + threshold), and the whole interval below 1;
 *   <li>unchanged: the whole interval inside the band [1 / (1 + threshold), 1 + threshold] (whatever shift there
 *       is, is smaller than the threshold), or the shift is significant but its estimate is inside the band and
 *       the interval is too;
 *   <li>inconclusive, too few samples: fewer than {@code minSamples} in either sample;
 *   <li>inconclusive, too noisy: anything else (the interval reaches beyond the band without a significant
 *       shift beyond it).
 * </ul>
 * Immutable and thread-safe.
 *
 * @param threshold the smallest shift of the median that matters, as a fraction (0.05 = 5%)
 * @param alpha the rank test's significance level
 * @param level the bootstrap interval's confidence level
 * @param minSamples fewest values in each sample for any conclusion
 */
public record TimingRule(double threshold, double alpha, double level, int minSamples) {

  /** 5% shift of the median, p &lt; 0.05, 95% interval, at least 5 values a side. */
  public static final TimingRule DEFAULT = new TimingRule(0.05, 0.05, 0.95, 5);

  public TimingRule {
    if (!(threshold > 0 && threshold < 10)) {
      throw new IllegalArgumentException("threshold=" + threshold + "; allowed: a fraction in (0, 10), e.g. 0.05");
    }
    if (!(alpha > 0 && alpha < 1) || !(level > 0 && level < 1)) {
      throw new IllegalArgumentException("alpha=" + alpha + ", level=" + level + "; allowed: both in (0, 1)");
    }
    if (minSamples < 2) {
      throw new IllegalArgumentException("minSamples=" + minSamples + "; allowed: 2 or more");
    }
  }

  /** The same rule with another threshold. */
  public TimingRule withThreshold(double t) {
    return new TimingRule(t, alpha, level, minSamples);
  }

  /** The rule in words. */
  public String describe() {
    return String.format(Locale.ROOT, "timing: Mann-Whitney U p < %s and median shift beyond %s (%s bootstrap CI"
        + " of the ratio of medians)", trim(alpha), pct(threshold), pct(level));
  }

  /**
   * Compares {@code now} with {@code baseline} (seconds; raw samples).
   *
   * @param seed the bootstrap's seed (e.g. a hash of the metric's name), so the interval is reproducible
   */
  public Outcome compare(double[] baseline, double[] now, long seed) {
    double nowMedian = now.length > 0 ? new Samples(now).median() : Double.NaN;
    if (baseline == null || baseline.length == 0) {
      return new Outcome(Verdict.INCONCLUSIVE, "no baseline: nothing to compare with", Double.NaN, nowMedian,
          Double.NaN, Double.NaN, Double.NaN, Double.NaN, describe());
    }
    double baseMedian = new Samples(baseline).median();
    if (now.length < minSamples || baseline.length < minSamples) {
      return new Outcome(Verdict.INCONCLUSIVE, String.format(Locale.ROOT, "too few samples: %d now and %d in the"
          + " baseline; allowed: at least %d each", now.length, baseline.length, minSamples), baseMedian, nowMedian,
          nowMedian / baseMedian - 1, Double.NaN, Double.NaN, Double.NaN, describe());
    }
    RankTest.Result test = RankTest.mannWhitney(now, baseline);
    Bootstrap.Estimate ratio = Bootstrap.ratioOfMedians(now, baseline, level, Bootstrap.DEFAULT_RESAMPLES, seed);
    double r = ratio.estimate();
    double hi = 1 + threshold;
    double lo = 1 / hi;
    boolean significant = test.pValue() < alpha;
    String numbers = String.format(Locale.ROOT, "median %s (CI %s..%s), p = %s", signedPct(r - 1),
        signedPct(ratio.lower() - 1), signedPct(ratio.upper() - 1), p(test.pValue()));
    Verdict v;
    String why;
    if (significant && r > hi && ratio.lower() > 1) {
      v = Verdict.REGRESSION;
      why = "slower: " + numbers + "; beyond the " + pct(threshold) + " threshold";
    } else if (significant && r < lo && ratio.upper() < 1) {
      v = Verdict.IMPROVEMENT;
      why = "faster: " + numbers + "; beyond the " + pct(threshold) + " threshold";
    } else if (ratio.lower() >= lo && ratio.upper() <= hi) {
      v = Verdict.UNCHANGED;
      why = numbers + "; the whole interval is within " + pct(threshold);
    } else {
      v = Verdict.INCONCLUSIVE;
      why = "too noisy: " + numbers + "; the interval reaches beyond " + pct(threshold)
          + (r > hi || r < lo ? " but the shift is not significant" : " on either side");
    }
    return new Outcome(v, why, baseMedian, nowMedian, r - 1, ratio.lower() - 1, ratio.upper() - 1, test.pValue(),
        describe());
  }

  static String pct(double fraction) {
    return trim(100 * fraction) + "%";
  }

  static String signedPct(double fraction) {
    return String.format(Locale.ROOT, "%+.1f%%", 100 * fraction);
  }

  private static String p(double p) {
    return p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f", p);
  }

  private static String trim(double v) {
    String s = String.format(Locale.ROOT, "%.2f", v);
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }
}
