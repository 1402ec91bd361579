package org.resbench.results.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

class RateAndMedianIntervalTest {

  @Test
  void aRateIsWorkOverMeanTimeWithTheMeanTimesIntervalMappedThrough() {
    double[] t = {0.9, 1.0, 1.1, 1.0};
    Rate r = Rate.of(128, t, 0.95);
    assertEquals(128.0, r.value(), 1e-12, "128 images over a mean of 1 s");
    double half = new TDistribution(3).inverseCumulativeProbability(0.975) * Math.sqrt(0.02 / 3) / 2;
    assertEquals(128 / (1 + half), r.lower(), 1e-9, "the slow end of the time interval bounds the rate below");
    assertEquals(128 / (1 - half), r.upper(), 1e-9);
    assertEquals(4, r.n());
    Rate g = r.times(2e-9);
    assertEquals(r.value() * 2e-9, g.value(), 1e-21);
    assertEquals(r.lower() * 2e-9, g.lower(), 1e-21);
  }

  @Test
  void aRateOfOneCallHasNoIntervalAndAWideOneReachesInfinity() {
    Rate one = Rate.of(1, new double[] {0.5}, 0.95);
    assertEquals(2, one.value(), 1e-12);
    assertTrue(Double.isNaN(one.lower()) && Double.isNaN(one.upper()));
    Rate wild = Rate.of(1, new double[] {0.001, 10}, 0.95);
    assertEquals(Double.POSITIVE_INFINITY, wild.upper(), "a time interval reaching below 0 allows any rate");
    assertThrows(IllegalArgumentException.class, () -> one.times(0));
  }

  @Test
  void theMedianIntervalUsesOrderStatisticsWithAtLeastTheAskedCoverage() {
    double[] v = {10, 2, 9, 4, 5, 6, 7, 8, 3, 1};
    MedianInterval m = MedianInterval.of(v, 0.95);
    // Binomial(10, 1/2): P(B <= 1) = 11/1024 <= 0.025 < P(B <= 2) = 56/1024, so [x(2), x(9)], coverage 0.979.
    assertEquals(5.5, m.median(), 1e-12);
    assertEquals(2, m.lower());
    assertEquals(9, m.upper());
    MedianInterval six = MedianInterval.of(new double[] {6, 5, 4, 3, 2, 1}, 0.95);
    assertEquals(1, six.lower(), "1/64 <= 0.025: the extremes");
    assertEquals(6, six.upper());
    MedianInterval five = MedianInterval.of(new double[] {1, 2, 3, 4, 5}, 0.95);
    assertTrue(Double.isNaN(five.lower()) && Double.isNaN(five.upper()), "5 values cannot give 95%");
    assertEquals(3, five.median());
    assertThrows(IllegalArgumentException.class, () -> MedianInterval.of(v, 1));
  }

  @Test
  void theMedianIntervalCoversTheTrueMedianAtLeastAsOftenAsAsked() {
    SplittableRandom r = new SplittableRandom(3);
    int covered = 0;
    int trials = 2000;
    for (int k = 0; k < trials; k++) {
      double[] v = new double[25];
      for (int i = 0; i < v.length; i++) {
        v[i] = -Math.log(r.nextDouble()); // exponential, true median ln 2: skewed like timings
      }
      MedianInterval m = new Samples(v).medianInterval(0.95);
      if (m.lower() <= Math.log(2) && Math.log(2) <= m.upper()) {
        covered++;
      }
    }
    // Exact coverage for n = 25 is 0.957; 2000 trials have a standard error of 0.0045, so 0.94 is 3.8 of them.
    assertTrue(covered >= 0.94 * trials, covered + " of " + trials);
  }
}
