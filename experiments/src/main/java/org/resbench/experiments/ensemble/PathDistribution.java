package org.resbench.experiments.ensemble;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.resbench.harness.spec.Block;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.results.stats.PathLengths;

/**
 * The path-length distribution of a spec as {@code resbench paths} prints it and the {@code ensemble-paths}
 * record stores it: the number of residual blocks n, the 2^n paths, and per length k = 0..n the exact count
 * C(n, k) (a decimal string, since it outgrows a {@code long} from n = 67 on) and its share (a double derived
 * from the exact share of {@link PathLengths}). Immutable.
 *
 * @param spec the spec's canonical name
 * @param blocks every block of the spec
 * @param residualBlocks n, the blocks with a shortcut added (a plain block has no second path)
 * @param paths 2^n, exact
 * @param mean the mean length, n / 2
 * @param sd the standard deviation of the length, sqrt(n) / 2
 * @param lengths one per length 0..n
 */
public record PathDistribution(String spec, int blocks, int residualBlocks, String paths, double mean, double sd,
    List<Length> lengths) {

  public PathDistribution {
    lengths = List.copyOf(lengths);
  }

  /**
   * Paths of one length.
   *
   * @param length k, the number of residual branches a path passes through
   * @param count C(n, k), exact
   * @param share C(n, k) / 2^n
   */
  public record Length(int length, String count, double share) {}

  /**
   * Paths whose length lies in a range.
   *
   * @param from the shortest length, inclusive
   * @param to the longest length, inclusive
   * @param count their number, exact
   * @param share their share of all paths
   * @param shareExact the same share with every decimal digit
   */
  public record Range(int from, int to, String count, double share, String shareExact) {

    /** The range {@code from..to} of {@code d}; both ends must lie in 0..n. */
    public static Range of(PathLengths d, int from, int to) {
      if (from < 0 || to > d.blocks() || from > to) {
        throw new IllegalArgumentException("range=" + from + "-" + to + "; allowed: A-B with 0 <= A <= B <= "
            + d.blocks() + " (the number of residual blocks)");
      }
      BigDecimal exact = d.shareInRange(from, to);
      return new Range(from, to, d.countInRange(from, to).toString(), exact.doubleValue(), exact.toPlainString());
    }

    /** The share as a percentage with four significant digits, e.g. {@code 0.4537%}. */
    public String percent() {
      return PathDistribution.percent(new BigDecimal(shareExact));
    }
  }

  /** The residual blocks of {@code spec}: blocks whose shortcut is added, i.e. that double the paths. */
  public static int residualBlocks(ModelSpec spec) {
    return (int) spec.blocks().stream().filter(Block::residual).count();
  }

  /** The distribution of {@code spec}. */
  public static PathDistribution of(ModelSpec spec) {
    PathLengths d = PathLengths.of(residualBlocks(spec));
    List<Length> lengths = new ArrayList<>();
    for (int k = 0; k <= d.blocks(); k++) {
      lengths.add(new Length(k, d.count(k).toString(), d.share(k).doubleValue()));
    }
    return new PathDistribution(spec.name(), spec.blocks().size(), d.blocks(), d.totalPaths().toString(), d.mean(),
        d.standardDeviation(), lengths);
  }

  /** The exact distribution behind these numbers. */
  public PathLengths exact() {
    return PathLengths.of(residualBlocks);
  }

  /** Every length's share, k = 0..n. */
  public double[] shares() {
    return lengths.stream().mapToDouble(Length::share).toArray();
  }

  /** An exact share as a percentage with four significant digits (scientific below 0.001%). */
  public static String percent(BigDecimal share) {
    if (share.signum() == 0) {
      return "0%";
    }
    BigDecimal p = PathLengths.round(share.movePointRight(2), 4);
    return p.compareTo(new BigDecimal("0.001")) >= 0 ? p.stripTrailingZeros().toPlainString() + "%"
        : String.format(Locale.ROOT, "%.3e%%", p);
  }

  /** An exact count for display: every digit up to 18 of them, else four significant digits. */
  public static String count(String exact) {
    BigInteger c = new BigInteger(exact);
    return exact.length() <= 18 ? String.format(Locale.ROOT, "%,d", c) : String.format(Locale.ROOT, "%.3e",
        new BigDecimal(c));
  }
}
