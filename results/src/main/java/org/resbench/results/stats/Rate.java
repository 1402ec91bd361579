package org.resbench.results.stats;

/**
 * A rate (work per second, e.g. images/s or FLOP/s) from the times of calls that each do the same work: the work
 * of all calls over their total time, {@code work / mean(t)}, which is what a caller sustains, with the confidence
 * interval that the Student-t interval of the mean time ({@link Interval#ofMean}) maps to under {@code work / t}
 * (a decreasing function, so the bounds swap: {@code [work / upper_t, work / lower_t]}). With one call, or when the
 * mean time's lower bound is not positive, the bounds that cannot be estimated are NaN or infinite. Immutable.
 *
 * @param value work over mean time
 * @param lower the interval's lower bound
 * @param upper the interval's upper bound
 * @param level the confidence level, in (0, 1)
 * @param n the number of calls
 */
public record Rate(double value, double lower, double upper, double level, int n) {

  /** The rate of calls doing {@code workPerCall} each that took {@code seconds}, with its interval at {@code level}. */
  public static Rate of(double workPerCall, double[] seconds, double level) {
    Interval t = Interval.ofMean(seconds, level);
    double lower = Double.isNaN(t.upper()) ? Double.NaN : workPerCall / t.upper();
    double upper = Double.isNaN(t.lower()) ? Double.NaN : t.lower() > 0 ? workPerCall / t.lower()
        : Double.POSITIVE_INFINITY;
    return new Rate(workPerCall / t.mean(), lower, upper, level, t.n());
  }

  /** The same rate with value and bounds multiplied by {@code factor > 0} (e.g. images/s to GFLOP/s). */
  public Rate times(double factor) {
    if (!(factor > 0)) {
      throw new IllegalArgumentException("rate factor=" + factor + "; allowed: > 0");
    }
    return new Rate(value * factor, lower * factor, upper * factor, level, n);
  }

  /** Half the interval's width relative to the value: NaN when the interval is not known. */
  public double relativeHalfWidth() {
    return (upper - lower) / 2 / value;
  }
}
