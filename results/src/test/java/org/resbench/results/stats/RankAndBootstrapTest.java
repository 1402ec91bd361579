package org.resbench.results.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class RankAndBootstrapTest {

  @Test
  void separatedSamplesHaveUZeroAndTheNormalApproximationsPValue() {
    double[] x = {1, 2, 3, 4, 5};
    double[] y = {6, 7, 8, 9, 10};
    RankTest.Result r = RankTest.mannWhitney(x, y);
    assertEquals(0, r.u());
    assertEquals(0, r.probabilityXGreater());
    // z = (U - n1 n2 / 2) / sqrt(n1 n2 (n1 + n2 + 1) / 12) = -12.5 / sqrt(229.1667 / 12 * 12 / 12 ...)
    double z = (0 - 12.5) / Math.sqrt(5 * 5 * 11 / 12.0);
    double expected = 2 * new NormalDistribution().cumulativeProbability(z);
    assertEquals(expected, r.pValue(), 1e-12);
    assertEquals(0.00902, r.pValue(), 5e-5); // -2.611 sigma
    RankTest.Result swapped = RankTest.mannWhitney(y, x);
    assertEquals(25, swapped.u());
    assertEquals(r.pValue(), swapped.pValue(), 1e-12);
  }

  @Test
  void identicalSamplesAreNotDifferentAndTiesCountHalf() {
    double[] x = {3, 1, 2, 5, 4};
    RankTest.Result r = RankTest.mannWhitney(x, x.clone());
    assertEquals(12.5, r.u());
    assertEquals(0.5, r.probabilityXGreater());
    assertEquals(1.0, r.pValue(), 1e-12);
    assertEquals(0.5, RankTest.uStatistic(new double[] {2}, new double[] {2}));
    assertThrows(IllegalArgumentException.class, () -> RankTest.mannWhitney(new double[0], x));
    assertThrows(IllegalArgumentException.class, () -> RankTest.mannWhitney(new double[] {Double.NaN}, x));
  }

  @Test
  void bootstrapOfAScaledCopyRecoversTheScaleAndIsReproducible() {
    SplittableRandom r = new SplittableRandom(7);
    double[] base = new double[31];
    for (int i = 0; i < base.length; i++) {
      base[i] = 0.1 * Math.exp(0.05 * r.nextGaussian());
    }
    double[] now = new double[base.length];
    for (int i = 0; i < now.length; i++) {
      now[i] = 1.2 * base[i];
    }
    Bootstrap.Estimate e = Bootstrap.ratioOfMedians(now, base, 0.95, 2000, 42);
    assertEquals(1.2, e.estimate(), 1e-12);
    assertTrue(e.contains(1.2) && e.lower() > 1.1 && e.upper() < 1.3, e.toString());
    assertEquals(e, Bootstrap.ratioOfMedians(now, base, 0.95, 2000, 42));
    Bootstrap.Estimate constant = Bootstrap.ratioOfMedians(new double[] {2, 2, 2}, new double[] {1, 1}, 0.9, 100, 1);
    assertEquals(new Bootstrap.Estimate(2, 2, 2, 0.9, 100), constant);
  }

  @Test
  void bootstrapIntervalCoversTheTrueRatioAtAboutItsLevel() {
    // 200 pairs of samples drawn from lognormal timings whose true median ratio is 1.1: the 90% interval should
    // cover 1.1 in roughly 90% of them (percentile bootstrap of medians is a little narrow for n = 25).
    SplittableRandom r = new SplittableRandom(3);
    int covered = 0;
    for (int trial = 0; trial < 200; trial++) {
      double[] base = new double[25];
      double[] now = new double[25];
      for (int i = 0; i < 25; i++) {
        base[i] = Math.exp(0.1 * r.nextGaussian());
        now[i] = 1.1 * Math.exp(0.1 * r.nextGaussian());
      }
      if (Bootstrap.ratioOfMedians(now, base, 0.9, 500, trial).contains(1.1)) {
        covered++;
      }
    }
    assertTrue(covered >= 160 && covered <= 195, "covered " + covered + " of 200");
  }
}
