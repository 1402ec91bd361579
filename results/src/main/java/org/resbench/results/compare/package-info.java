/**
 * Comparisons of a metric with its baseline on raw samples: timings by a rank test together with an effect-size
 * threshold and a bootstrap interval ({@link org.resbench.results.compare.TimingRule}), deterministic figures
 * against stated tolerances ({@link org.resbench.results.compare.NumericRule}), each ending in a
 * {@link org.resbench.results.compare.Verdict} with its reason in words. The statistics themselves live in
 * {@link org.resbench.results.stats}.
 */
package org.resbench.results.compare;
