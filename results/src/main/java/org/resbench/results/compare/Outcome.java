package org.resbench.results.compare;

/**
 * One metric compared with its baseline. Immutable.
 *
 * @param verdict the conclusion
 * @param reason why, in words, with the numbers (e.g. "too noisy: 95% CI of the ratio 0.97..1.12 reaches beyond
 *     the 5% threshold")
 * @param baseline the baseline's value (a timing's median), NaN without a baseline
 * @param now this run's value (a timing's median)
 * @param change timings: {@code now / baseline - 1}; numeric figures: {@code now - baseline}; NaN without one
 * @param changeLower the lower bound of the change's confidence interval (timings), else NaN
 * @param changeUpper its upper bound, else NaN
 * @param pValue the rank test's two-sided p-value (timings), else NaN
 * @param rule the rule applied, with its numbers (threshold or tolerance)
 */
public record Outcome(Verdict verdict, String reason, double baseline, double now, double change, double changeLower,
    double changeUpper, double pValue, String rule) {

  /** Whether the verdict is a regression. */
  public boolean regression() {
    return verdict == Verdict.REGRESSION;
  }
}
