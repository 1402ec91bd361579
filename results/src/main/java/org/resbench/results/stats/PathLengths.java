package org.resbench.results.stats;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The lengths of the paths through a residual network unravelled as Veit et al. (2016) do: with n residual blocks
 * there are 2^n paths (each block either through its branch or its shortcut), and C(n, k) of them pass through
 * exactly k branches, so a path drawn uniformly has length ~ Binomial(n, 1/2).
 *
 * <p>Everything is exact: counts are {@link BigInteger}s and shares {@code C(n, k) / 2^n} are {@link BigDecimal}s
 * with every digit (a power of two has a finite decimal expansion: {@code C · 5^n · 10^-n}), so there is no
 * floating-point loss, overflow or underflow for any n allowed here (up to {@value #MAX_BLOCKS}; ResNet-1202 has
 * 600 blocks). Doubles are derived from the exact values only for charts and records. The one implementation
 * behind {@code resbench paths} and the {@code ensemble-paths} experiment. Immutable and thread-safe.
 */
public final class PathLengths {
  /** The largest n accepted (the exact shares of n = 10,000 have 10,000 decimal digits). */
  public static final int MAX_BLOCKS = 10_000;

  private final int n;
  private final BigInteger[] counts;
  private final BigInteger fiveToN;

  private PathLengths(int n) {
    this.n = n;
    counts = new BigInteger[n + 1];
    counts[0] = BigInteger.ONE;
    for (int k = 0; k < n; k++) {
      counts[k + 1] = counts[k].multiply(BigInteger.valueOf(n - k)).divide(BigInteger.valueOf(k + 1));
    }
    fiveToN = BigInteger.valueOf(5).pow(n);
  }

  /** The distribution for {@code n} residual blocks (0 to {@value #MAX_BLOCKS}). */
  public static PathLengths of(int n) {
    if (n < 0 || n > MAX_BLOCKS) {
      throw new IllegalArgumentException("residual blocks n=" + n + "; allowed: 0.." + MAX_BLOCKS);
    }
    return new PathLengths(n);
  }

  /** The number of residual blocks n. */
  public int blocks() {
    return n;
  }

  /** The number of paths, 2^n. */
  public BigInteger totalPaths() {
    return BigInteger.ONE.shiftLeft(n);
  }

  /** The number of paths of length k, C(n, k) (0 outside 0..n). */
  public BigInteger count(int k) {
    return k < 0 || k > n ? BigInteger.ZERO : counts[k];
  }

  /** The exact share of paths of length k, C(n, k) / 2^n. */
  public BigDecimal share(int k) {
    return exactShare(count(k));
  }

  /** The number of paths whose length lies in {@code from..to} (inclusive; clipped to 0..n). */
  public BigInteger countInRange(int from, int to) {
    requireRange(from, to);
    BigInteger s = BigInteger.ZERO;
    for (int k = Math.max(0, from); k <= Math.min(n, to); k++) {
      s = s.add(counts[k]);
    }
    return s;
  }

  /** The exact share of paths whose length lies in {@code from..to} (inclusive). */
  public BigDecimal shareInRange(int from, int to) {
    return exactShare(countInRange(from, to));
  }

  /** The mean length, n / 2 (exact in a double). */
  public double mean() {
    return n / 2.0;
  }

  /** The standard deviation of the length, sqrt(n) / 2. */
  public double standardDeviation() {
    return Math.sqrt(n) / 2;
  }

  /** The share of every length 0..n as doubles (for charts; the exact values are {@link #share}). */
  public double[] shares() {
    double[] s = new double[n + 1];
    for (int k = 0; k <= n; k++) {
      s[k] = share(k).doubleValue();
    }
    return s;
  }

  /** The count of every length 0..n as doubles (infinite beyond ~1.8e308, i.e. for n above about 1,030). */
  public double[] countsAsDoubles() {
    double[] c = new double[n + 1];
    for (int k = 0; k <= n; k++) {
      c[k] = counts[k].doubleValue();
    }
    return c;
  }

  /** An exact share rounded to {@code digits} significant digits (for display), e.g. 0.004489 for 4.489e-3. */
  public static BigDecimal round(BigDecimal exact, int digits) {
    return exact.signum() == 0 ? BigDecimal.ZERO : exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
  }

  /**
   * The shortest contiguous range of lengths {@code [from, to]} whose weights hold at least {@code fraction} of the
   * total weight (e.g. Veit et al.'s "effective paths": the lengths that carry 90% of the total gradient). Among
   * ranges of the same length the one holding more weight wins, then the lower one. Weights must be finite and
   * non-negative, at least one positive.
   *
   * @param weight one per length 0..n
   * @param fraction in (0, 1]
   * @return {@code {from, to}}
   */
  public static int[] shortestRangeHolding(double[] weight, double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction=" + fraction + "; allowed: (0, 1]");
    }
    double total = 0;
    for (int i = 0; i < weight.length; i++) {
      if (!(weight[i] >= 0) || Double.isInfinite(weight[i])) {
        throw new IllegalArgumentException("weight[" + i + "]=" + weight[i] + "; allowed: finite values >= 0");
      }
      total += weight[i];
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("weights sum to " + total + "; allowed: at least one weight > 0");
    }
    // A relative tolerance keeps "the whole range holds 100%" true despite rounding in the sums.
    double need = fraction * total * (1 - 1e-12);
    int bestFrom = 0;
    int bestTo = weight.length - 1;
    double bestMass = total;
    for (int from = 0; from < weight.length; from++) {
      double mass = 0;
      for (int to = from; to < weight.length; to++) {
        mass += weight[to];
        if (mass >= need) {
          int len = to - from;
          if (len < bestTo - bestFrom || (len == bestTo - bestFrom && mass > bestMass)) {
            bestFrom = from;
            bestTo = to;
            bestMass = mass;
          }
          break;
        }
      }
    }
    return new int[] {bestFrom, bestTo};
  }

  private BigDecimal exactShare(BigInteger count) {
    return new BigDecimal(count.multiply(fiveToN), n).stripTrailingZeros();
  }

  private void requireRange(int from, int to) {
    if (from > to) {
      throw new IllegalArgumentException("path-length range " + from + "-" + to + "; allowed: from <= to");
    }
  }

  @Override
  public String toString() {
    return "PathLengths{n=" + n + "}";
  }
}
