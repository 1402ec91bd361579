package org.resbench.results.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void autocorrelationOfWhiteNoiseVanishesAndOfASineOscillates() {
    SplittableRandom r = new SplittableRandom(1);
    double[] noise = new double[4096];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = r.nextDouble() - 0.5;
    }
    double[] ac = Correlations.autocorrelation(noise, 10);
    assertEquals(1.0, ac[0], 1e-12);
    // Standard error of r(k) for white noise is 1/sqrt(n) = 0.016; allow 4 of them.
    for (int k = 1; k <= 10; k++) {
      assertEquals(0, ac[k], 0.0625, "lag " + k);
    }
    double[] sine = new double[1000];
    for (int i = 0; i < sine.length; i++) {
      sine[i] = Math.sin(2 * Math.PI * i / 100);
    }
    double[] s = Correlations.autocorrelation(sine, 100);
    assertEquals(Math.cos(2 * Math.PI / 100), s[1], 0.01);
    assertEquals(-1, s[50], 0.06); // biased estimator shrinks by (n-k)/n = 0.95
    assertTrue(s[100] > 0.85);
  }

  @Test
  void constantSequencesArePerfectlyCorrelated() {
    double[] ac = Correlations.autocorrelation(new double[] {2, 2, 2, 2}, 3);
    assertEquals(1, ac[3]);
    assertEquals(1, Correlations.pearson(new double[] {1, 1}, new double[] {3, 3}));
    assertEquals(0, Correlations.pearson(new double[] {1, 2}, new double[] {3, 3}));
    assertEquals(-1, Correlations.pearson(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> Correlations.autocorrelation(new double[3], 3));
  }

  @Test
  void fitsRecoverKnownLawsAndPickTheRightOne() {
    double[] depth = {1, 2, 4, 8, 16, 24, 32, 50};
    double[] exp = new double[depth.length];
    double[] pow = new double[depth.length];
    for (int i = 0; i < depth.length; i++) {
      exp[i] = 0.9 * Math.pow(0.5, depth[i]);
      pow[i] = 0.8 * Math.pow(depth[i], -0.5);
    }
    CurveFit.Fit e = CurveFit.exponential(depth, exp);
    assertEquals(0.5, e.rate(), 1e-4);
    assertEquals(0.9, e.a(), 1e-3);
    assertEquals(1, e.r2(), 1e-9);
    CurveFit.Fit p = CurveFit.power(depth, pow);
    assertEquals(0.5, p.rate(), 1e-4);
    assertEquals(0.8, p.a(), 1e-3);
    assertTrue(CurveFit.power(depth, exp).rss() > e.rss());
    assertTrue(CurveFit.exponential(depth, pow).rss() > p.rss());
    assertEquals(0.8 * Math.pow(4, -0.5), p.at(4), 1e-4);
  }

  @Test
  void fitsTolerateNoiseNearZero() {
    double[] depth = {1, 2, 4, 8, 16, 32};
    double[] y = {0.5, 0.25, 0.06, 0.01, -0.02, 0.015};
    CurveFit.Fit e = CurveFit.exponential(depth, y);
    assertEquals(0.5, e.rate(), 0.05);
    assertThrows(IllegalArgumentException.class, () -> CurveFit.power(new double[] {0, 1}, new double[] {1, 1}));
  }

  @Test
  void quantilesInterpolateBetweenOrderStatisticsLikeNumPy() {
    Samples s = new Samples(new double[] {4, 1, 3, 2, 10});
    // numpy.quantile([1,2,3,4,10], [0, .1, .5, .9, 1]) = 1, 1.4, 3, 7.6, 10
    assertEquals(1, s.quantile(0), 1e-12);
    assertEquals(1.4, s.quantile(0.1), 1e-12);
    assertEquals(3, s.median(), 1e-12);
    assertEquals(7.6, s.quantile(0.9), 1e-12);
    assertEquals(10, s.quantile(1), 1e-12);
    assertEquals(4, s.mean(), 1e-12);
    assertEquals(Math.sqrt(12.5), s.standardDeviation(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> s.quantile(1.5));
  }

  @Test
  void meanIntervalUsesStudentT() {
    // n = 5, mean 4, sd sqrt(12.5); t(0.975, 4) = 2.7764451051977987 (tables, scipy.stats.t.ppf).
    Interval i = Interval.ofMean(new double[] {4, 1, 3, 2, 10}, 0.95);
    double half = 2.7764451051977987 * Math.sqrt(12.5) / Math.sqrt(5);
    assertEquals(4, i.mean(), 1e-12);
    assertEquals(half, i.halfWidth(), 1e-9);
    assertEquals(4 - half, i.lower(), 1e-9);
    Interval one = Interval.ofMean(new double[] {3}, 0.95);
    assertTrue(Double.isNaN(one.halfWidth()), "one value has no spread");
    assertTrue(Interval.ofMean(new double[] {0, 0.1, 0.2}, 0.95).separatedFrom(Interval.ofMean(new double[] {5, 5.1,
        5.2}, 0.95)));
    assertThrows(IllegalArgumentException.class, () -> Interval.ofMean(new double[] {1, 2}, 1.0));
  }

  @Test
  void pearsonKeepsDoublePrecision() {
    // Differences far below float resolution at 1.0 (6e-8) must still correlate perfectly.
    double[] a = {1.0, 1.0 + 1e-10, 1.0 + 2e-10, 1.0 + 3e-10};
    double[] b = {2, 3, 4, 5};
    assertEquals(1, Correlations.pearson(a, b), 1e-6);
  }

  @Test
  void decayLawsEvaluateAndReadTheirLabels() {
    assertEquals(0.9 * Math.pow(0.5, 3), DecayLaw.EXPONENTIAL.value(0.9, 0.5, 3), 1e-15);
    assertEquals(0.8 * Math.pow(4, -0.5), DecayLaw.POWER.value(0.8, 0.5, 4), 1e-15);
    assertEquals(DecayLaw.POWER, DecayLaw.of("power"));
    assertThrows(IllegalArgumentException.class, () -> DecayLaw.of("linear"));
  }
}
