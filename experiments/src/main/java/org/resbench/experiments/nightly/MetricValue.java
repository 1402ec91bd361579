package org.resbench.experiments.nightly;

import org.resbench.results.compare.Direction;
import org.resbench.results.compare.NumericRule;

/**
 * One figure a nightly tracks, as taken from a run: a timing with its raw samples (seconds; compared by the
 * timing rule) or a deterministic figure with its stated tolerance. Immutable.
 *
 * @param key stable name across nights, e.g. {@code parity/ort-cpu/parameter gradients}
 * @param label what it is, in words
 * @param unit e.g. {@code s} or {@code error/bound}
 * @param kind timing or numeric
 * @param direction which way is better
 * @param rule the tolerance of a numeric figure; null for timings
 * @param value the figure (a timing's median)
 * @param samples a timing's raw samples; empty for numeric figures
 */
public record MetricValue(String key, String label, String unit, Kind kind, Direction direction, NumericRule rule,
    double value, double[] samples) {

  /** Timings are compared on raw samples; numeric figures against tolerances. */
  public enum Kind {
    TIMING, NUMERIC
  }

  public MetricValue {
    if (kind == Kind.NUMERIC && rule == null) {
      throw new IllegalArgumentException("numeric metric " + key + " without a tolerance; allowed: a NumericRule");
    }
    samples = samples == null ? new double[0] : samples.clone();
  }

  /** A deterministic figure with its tolerance. */
  public static MetricValue numeric(String key, String label, String unit, NumericRule rule, double value) {
    return new MetricValue(key, label, unit, Kind.NUMERIC, rule.direction(), rule, value, null);
  }

  /** A timing in seconds from its raw samples. */
  public static MetricValue timing(String key, String label, double[] seconds) {
    return new MetricValue(key, label, "s", Kind.TIMING, Direction.LOWER_IS_BETTER, null,
        new org.resbench.results.stats.Samples(seconds).median(), seconds);
  }
}
