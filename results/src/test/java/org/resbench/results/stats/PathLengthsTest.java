package org.resbench.results.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class PathLengthsTest {

  @Test
  void resNet110HasThePapersShareOfEffectivePaths() {
    // Veit et al. 2016: ResNet-110 has 54 blocks; paths of length 5-17 are 0.45% of all 2^54.
    PathLengths d = PathLengths.of(54);
    assertEquals(BigInteger.ONE.shiftLeft(54), d.totalPaths());
    assertEquals(new BigInteger("81725384002200"), d.countInRange(5, 17), "sum of C(54, k), k = 5..17 (Python)");
    BigDecimal share = d.shareInRange(5, 17);
    assertEquals(new BigDecimal(new BigInteger("81725384002200")).divide(new BigDecimal(BigInteger.ONE.shiftLeft(54))),
        share, "exact: the quotient terminates");
    assertEquals("0.45", PathLengths.round(share.movePointRight(2), 2).toPlainString(), "0.45% as the paper says");
    assertEquals(0.004536670150778743, share.doubleValue(), 1e-18);
    assertEquals(27.0, d.mean());
    assertEquals(new BigInteger("1946939425648112"), d.count(27), "C(54, 27)");
  }

  @Test
  void isExactForAThousandBlocksWithoutOverflowOrNaN() {
    PathLengths d = PathLengths.of(1000);
    BigDecimal sum = BigDecimal.ZERO;
    for (int k = 0; k <= 1000; k++) {
      sum = sum.add(d.share(k));
    }
    assertEquals(0, sum.compareTo(BigDecimal.ONE), "the exact shares add up to exactly 1");
    assertEquals(0, d.shareInRange(0, 1000).compareTo(BigDecimal.ONE));
    double[] shares = d.shares();
    for (double s : shares) {
      assertTrue(Double.isFinite(s) && s > 0, "every share is a positive finite double (2^-1000 ~ 9.3e-302)");
    }
    assertEquals(Math.pow(2, -1000), shares[0], 0, "C(1000, 0) / 2^1000, exact in a double");
    assertEquals(0.0252250181783608, shares[500], 1e-16, "C(1000, 500) / 2^1000 (Python)");
    assertEquals(0.9986082584055779, d.shareInRange(450, 550).doubleValue(), 1e-15);
    assertTrue(Double.isFinite(d.countsAsDoubles()[500]));
    assertEquals(500.0, d.mean());
  }

  @Test
  void smallCasesAndArgumentChecks() {
    PathLengths zero = PathLengths.of(0);
    assertEquals(BigInteger.ONE, zero.totalPaths());
    assertEquals(0, zero.share(0).compareTo(BigDecimal.ONE));
    PathLengths three = PathLengths.of(3);
    assertArrayEquals(new double[] {0.125, 0.375, 0.375, 0.125}, three.shares(), 0);
    assertEquals(BigInteger.ZERO, three.count(4));
    assertEquals(BigInteger.valueOf(7), three.countInRange(-5, 2), "clipped to 0..n");
    assertThrows(IllegalArgumentException.class, () -> PathLengths.of(-1));
    assertThrows(IllegalArgumentException.class, () -> PathLengths.of(PathLengths.MAX_BLOCKS + 1));
    assertThrows(IllegalArgumentException.class, () -> three.countInRange(2, 1));
  }

  @Test
  void shortestRangeHoldingAFraction() {
    double[] w = {0, 1, 5, 10, 5, 1, 0};
    assertArrayEquals(new int[] {2, 4}, PathLengths.shortestRangeHolding(w, 0.9), "20 of 22 = 0.91");
    assertArrayEquals(new int[] {1, 5}, PathLengths.shortestRangeHolding(w, 1.0));
    assertArrayEquals(new int[] {3, 3}, PathLengths.shortestRangeHolding(w, 0.4));
    // equal lengths: the one holding more weight, then the lower
    assertArrayEquals(new int[] {2, 3}, PathLengths.shortestRangeHolding(new double[] {1, 1, 3, 4, 2}, 0.6));
    assertArrayEquals(new int[] {0, 0}, PathLengths.shortestRangeHolding(new double[] {1, 1}, 0.5));
    assertThrows(IllegalArgumentException.class, () -> PathLengths.shortestRangeHolding(new double[] {0, 0}, 0.9));
    assertThrows(IllegalArgumentException.class, () -> PathLengths.shortestRangeHolding(new double[] {1, -1}, 0.9));
    assertThrows(IllegalArgumentException.class, () -> PathLengths.shortestRangeHolding(new double[] {1}, 0));
  }

  @Test
  void logLinearExponentialFitRecoversTheRate() {
    double[] x = new double[20];
    double[] y = new double[20];
    for (int i = 0; i < x.length; i++) {
      x[i] = i + 1;
      y[i] = 3e-4 * Math.pow(0.6, x[i]);
    }
    CurveFit.Fit f = CurveFit.exponentialLog(x, y);
    assertEquals(0.6, f.rate(), 1e-12);
    assertEquals(3e-4, f.a(), 1e-15);
    assertEquals(1.0, f.r2(), 1e-12);
    assertEquals(y[5], f.at(x[5]), 1e-18);
    assertThrows(IllegalArgumentException.class, () -> CurveFit.exponentialLog(new double[] {1, 2},
        new double[] {1, 0}));
  }
}
