package org.resbench.results.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RulesTest {

  /** n lognormal timings with median {@code median} and log-sd {@code cv} (about the coefficient of variation). */
  private static double[] timings(SplittableRandom r, int n, double median, double cv) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = median * Math.exp(cv * r.nextGaussian());
    }
    return x;
  }

  @Test
  void aTenPercentSlowdownWithTwoPercentNoiseIsARegressionAndTheReverseAnImprovement() {
    SplittableRandom r = new SplittableRandom(1);
    double[] base = timings(r, 30, 0.040, 0.02);
    Outcome slow = TimingRule.DEFAULT.compare(base, timings(r, 30, 0.044, 0.02), 1);
    assertEquals(Verdict.REGRESSION, slow.verdict(), slow.reason());
    assertEquals(0.10, slow.change(), 0.02);
    assertTrue(slow.changeLower() > 0.05 && slow.pValue() < 1e-6, slow.toString());
    Outcome fast = TimingRule.DEFAULT.compare(base, timings(r, 30, 0.036, 0.02), 1);
    assertEquals(Verdict.IMPROVEMENT, fast.verdict(), fast.reason());
    assertTrue(fast.reason().startsWith("faster"), fast.reason());
  }

  @Test
  void aaComparisonsWithModestNoiseAreUnchangedAndAlmostNeverFlagged() {
    SplittableRandom r = new SplittableRandom(2);
    int flagged = 0;
    int unchanged = 0;
    for (int i = 0; i < 200; i++) {
      Outcome o = TimingRule.DEFAULT.compare(timings(r, 30, 0.04, 0.03), timings(r, 30, 0.04, 0.03), i);
      if (o.verdict() == Verdict.REGRESSION || o.verdict() == Verdict.IMPROVEMENT) {
        flagged++;
      }
      if (o.verdict() == Verdict.UNCHANGED) {
        unchanged++;
      }
    }
    // A flag needs p < 0.05 *and* an estimated shift beyond 5% with 3% noise and n = 30: essentially never.
    assertEquals(0, flagged);
    assertTrue(unchanged >= 190, unchanged + " of 200 unchanged");
  }

  @Test
  void aSmallSignificantShiftIsUnchangedAndALargeNoisyOneInconclusive() {
    SplittableRandom r = new SplittableRandom(3);
    Outcome small = TimingRule.DEFAULT.compare(timings(r, 200, 0.040, 0.01), timings(r, 200, 0.0408, 0.01), 1);
    assertEquals(Verdict.UNCHANGED, small.verdict(), small.reason());
    assertTrue(small.pValue() < 0.05, "the 2% shift is significant: " + small.pValue());
    Outcome noisy = TimingRule.DEFAULT.compare(timings(r, 10, 0.040, 0.4), timings(r, 10, 0.042, 0.4), 1);
    assertEquals(Verdict.INCONCLUSIVE, noisy.verdict(), noisy.reason());
    assertTrue(noisy.reason().startsWith("too noisy"), noisy.reason());
  }

  @Test
  void tooFewSamplesOrNoBaselineAreInconclusiveAndSaySo() {
    Outcome few = TimingRule.DEFAULT.compare(new double[] {1, 1, 1, 1, 1, 1}, new double[] {2, 2, 2}, 1);
    assertEquals(Verdict.INCONCLUSIVE, few.verdict());
    assertTrue(few.reason().startsWith("too few samples: 3 now and 6 in the baseline"), few.reason());
    assertEquals(1.0, few.change(), 1e-12);
    Outcome none = TimingRule.DEFAULT.compare(null, new double[] {2, 2, 2}, 1);
    assertEquals(Verdict.INCONCLUSIVE, none.verdict());
    assertTrue(none.reason().startsWith("no baseline"), none.reason());
    assertEquals(2, none.now());
  }

  @Test
  void aLargerThresholdTurnsARegressionIntoUnchangedOrInconclusive() {
    SplittableRandom r = new SplittableRandom(4);
    double[] base = timings(r, 30, 0.040, 0.02);
    double[] now = timings(r, 30, 0.044, 0.02);
    assertEquals(Verdict.REGRESSION, TimingRule.DEFAULT.compare(base, now, 1).verdict());
    Outcome wide = TimingRule.DEFAULT.withThreshold(0.20).compare(base, now, 1);
    assertEquals(Verdict.UNCHANGED, wide.verdict(), wide.reason());
    assertThrows(IllegalArgumentException.class, () -> TimingRule.DEFAULT.withThreshold(0));
  }

  @Test
  void numericFiguresAgainstTolerancesAndLimits() {
    NumericRule ratio = new NumericRule(Direction.LOWER_IS_BETTER, 0.05, 1.0, 1.0);
    assertEquals(Verdict.UNCHANGED, ratio.compare(0.10, 0.20).verdict()); // allowed 0.05 + 0.10
    assertEquals(Verdict.REGRESSION, ratio.compare(0.10, 0.30).verdict());
    // Relative tolerance 1 (a factor 2 either way) makes improvement impossible for a positive figure; with none:
    NumericRule absolute = new NumericRule(Direction.LOWER_IS_BETTER, 0.05, 0, 1);
    assertEquals(Verdict.IMPROVEMENT, absolute.compare(0.5, 0.1).verdict());
    Outcome over = ratio.compare(1.2, 1.2);
    assertEquals(Verdict.REGRESSION, over.verdict());
    assertTrue(over.reason().startsWith("beyond its limit"), over.reason());
    assertEquals(Verdict.REGRESSION, ratio.compare(Double.NaN, 1.5).verdict());
    assertEquals(Verdict.INCONCLUSIVE, ratio.compare(Double.NaN, 0.5).verdict());

    NumericRule corr = new NumericRule(Direction.STABLE, 1e-3, 0, Double.NaN);
    assertEquals(Verdict.UNCHANGED, corr.compare(0.5, 0.5005).verdict());
    Outcome moved = corr.compare(0.5, 0.49);
    assertEquals(Verdict.REGRESSION, moved.verdict());
    assertTrue(moved.reason().startsWith("changed beyond tolerance"), moved.reason());
    assertEquals(-0.01, moved.change(), 1e-12);
    assertEquals(Verdict.INCONCLUSIVE, corr.compare(0.5, Double.NaN).verdict());

    NumericRule accuracy = new NumericRule(Direction.HIGHER_IS_BETTER, 0.01, 0, 0.5);
    assertEquals(Verdict.IMPROVEMENT, accuracy.compare(0.80, 0.85).verdict());
    assertEquals(Verdict.REGRESSION, accuracy.compare(0.80, 0.75).verdict());
    assertEquals(Verdict.REGRESSION, accuracy.compare(0.45, 0.45).verdict());
    assertThrows(IllegalArgumentException.class, () -> new NumericRule(Direction.STABLE, 0, 0, 1));
    assertEquals("numeric: |now - baseline| <= 0.05000 + 1.000 x |baseline|, lower is better; limit <= 1.000",
        ratio.describe());
  }
}
