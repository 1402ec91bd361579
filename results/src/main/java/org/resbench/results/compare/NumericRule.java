package org.resbench.results.compare;

import java.util.Locale;

/**
 * How a deterministic figure (a parity error ratio, a gradient correlation, a test error) is compared with its
 * baseline: against its stated tolerance {@code |now - baseline| <= absolute + relative * |baseline|}, and
 * against a hard limit when it has one (a parity ratio must stay at most 1 whatever the baseline says). Within
 * the tolerance it is unchanged; beyond it, better or worse by its {@link Direction} ({@link Direction#STABLE}
 * figures regress by any change beyond it). Immutable and thread-safe.
 *
 * @param direction which way is better
 * @param absolute the tolerance's absolute part (0 or more)
 * @param relative its part relative to the baseline's magnitude (0 or more)
 * @param limit the hard limit (an upper one for {@link Direction#LOWER_IS_BETTER}, a lower one for
 *     {@link Direction#HIGHER_IS_BETTER}), NaN for none
 */
public record NumericRule(Direction direction, double absolute, double relative, double limit) {

  public NumericRule {
    if (direction == null) {
      throw new IllegalArgumentException("direction: none; allowed: lower, higher, stable");
    }
    if (!(absolute >= 0) || !(relative >= 0)) {
      throw new IllegalArgumentException("tolerance absolute=" + absolute + ", relative=" + relative
          + "; allowed: numbers >= 0");
    }
    if (!Double.isNaN(limit) && direction == Direction.STABLE) {
      throw new IllegalArgumentException("limit=" + limit + " on a stable figure; allowed: a limit only with"
          + " direction lower or higher");
    }
  }

  /** The rule in words. */
  public String describe() {
    StringBuilder s = new StringBuilder("numeric: |now - baseline| <= ");
    if (absolute > 0 || relative == 0) {
      s.append(num(absolute));
    }
    if (relative > 0) {
      s.append(absolute > 0 ? " + " : "").append(num(relative)).append(" x |baseline|");
    }
    s.append(", ").append(direction.label()).append(" is better");
    if (!Double.isNaN(limit)) {
      s.append(direction == Direction.LOWER_IS_BETTER ? "; limit <= " : "; limit >= ").append(num(limit));
    }
    return s.toString();
  }

  /** Compares {@code now} with {@code baseline} (NaN: no baseline). */
  public Outcome compare(double baseline, double now) {
    String rule = describe();
    if (Double.isNaN(now)) {
      return new Outcome(Verdict.INCONCLUSIVE, "no value: the figure is NaN in this run", baseline, now, Double.NaN,
          Double.NaN, Double.NaN, Double.NaN, rule);
    }
    double change = now - baseline;
    if (!Double.isNaN(limit) && (direction == Direction.LOWER_IS_BETTER ? now > limit : now < limit)) {
      return new Outcome(Verdict.REGRESSION, "beyond its limit: " + num(now) + (direction == Direction.LOWER_IS_BETTER
          ? " > " : " < ") + num(limit), baseline, now, change, Double.NaN, Double.NaN, Double.NaN, rule);
    }
    if (Double.isNaN(baseline)) {
      return new Outcome(Verdict.INCONCLUSIVE, "no baseline: nothing to compare with", baseline, now, Double.NaN,
          Double.NaN, Double.NaN, Double.NaN, rule);
    }
    double tolerance = absolute + relative * Math.abs(baseline);
    if (Math.abs(change) <= tolerance) {
      return new Outcome(Verdict.UNCHANGED, "within tolerance: change " + num(change) + ", allowed +-" + num(tolerance),
          baseline, now, change, Double.NaN, Double.NaN, Double.NaN, rule);
    }
    boolean worse = switch (direction) {
      case LOWER_IS_BETTER -> change > 0;
      case HIGHER_IS_BETTER -> change < 0;
      case STABLE -> true;
    };
    String what = direction == Direction.STABLE ? "changed" : worse ? "worse" : "better";
    return new Outcome(worse ? Verdict.REGRESSION : Verdict.IMPROVEMENT, what + " beyond tolerance: change "
        + num(change) + ", allowed +-" + num(tolerance), baseline, now, change, Double.NaN, Double.NaN, Double.NaN,
        rule);
  }

  private static String num(double v) {
    double a = Math.abs(v);
    return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3e", v)
        : String.format(Locale.ROOT, "%.4g", v);
  }
}
