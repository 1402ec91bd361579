package org.resbench.reports;

/**
 * One number or verdict a run's summary row shows at the top of a report (e.g. "parity: 480 checks, all passed;
 * worst error / bound 0.31"). Sections contribute theirs through {@link ReportSection#headlines}. Immutable.
 *
 * @param label what it is, short (e.g. "ff-bn correlation")
 * @param value the number or verdict, as text (e.g. "0.93 at depth 1 -> 0.00 at depth 50")
 * @param verdict whether it is a pass, a failure, or neither
 */
public record Headline(String label, String value, Verdict verdict) {

  /** How the summary marks a headline. */
  public enum Verdict {
    /** A check that passed (marked green). */
    PASS,
    /** A check that failed (marked red). */
    FAIL,
    /** A number, no verdict. */
    INFO
  }

  public Headline {
    if (label == null || label.isBlank() || value == null || verdict == null) {
      throw new IllegalArgumentException("headline: label, value and verdict are required; got label=" + label
          + ", value=" + value + ", verdict=" + verdict);
    }
  }

  public static Headline info(String label, String value) {
    return new Headline(label, value, Verdict.INFO);
  }

  /** A verdict: {@link Verdict#PASS} when {@code passed}, else {@link Verdict#FAIL}. */
  public static Headline verdict(String label, String value, boolean passed) {
    return new Headline(label, value, passed ? Verdict.PASS : Verdict.FAIL);
  }
}
