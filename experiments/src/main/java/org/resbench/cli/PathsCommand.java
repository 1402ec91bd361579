package org.resbench.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.resbench.experiments.ensemble.PathDistribution;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.results.JsonCodec;
import org.resbench.results.stats.PathLengths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The path-length distribution of a spec unravelled as Veit et al. (2016) do: n residual blocks, 2^n paths, length
 * ~ Binomial(n, 1/2), exact (the same numbers as the {@code ensemble-paths} record).
 */
@Command(name = "paths", mixinStandardHelpOptions = true,
    description = "The path-length distribution of a spec (Veit et al. 2016): its n residual blocks give 2^n paths,"
        + " C(n, k) of length k (Binomial(n, 1/2)); counts and shares per length, the mean, and with --range the"
        + " share of paths whose length lies in a range. Exact (integer and decimal arithmetic).",
    footer = "Example: resbench paths resnet-110 --range 5-17   (0.4537%% of the 2^54 paths; Veit et al.: 0.45%%)")
final class PathsCommand implements Runnable {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Parameters(index = "0", paramLabel = "SPEC", converter = SpecConverter.class,
      description = "A spec name, e.g. resnet-110, resnet-1202, resnet-164-bottleneck (see 'resbench specs').")
  ModelSpec spec;

  @Option(names = "--range", paramLabel = "A-B",
      description = "Also give the number and share of paths whose length lies in A..B (inclusive), e.g. 5-17.")
  String range;

  @Option(names = "--json", description = "Print JSON (fields: spec, blocks, residualBlocks, paths, mean, sd,"
      + " lengths [{length, count, share}], range {from, to, count, share, shareExact}; counts are exact decimal"
      + " strings).")
  boolean json;

  @Override
  public void run() {
    PathDistribution d = PathDistribution.of(spec);
    PathDistribution.Range r = range == null ? null : parseRange(range, d.exact());
    PrintWriter out = cmd.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("spec", d.spec());
      m.put("blocks", d.blocks());
      m.put("residualBlocks", d.residualBlocks());
      m.put("paths", d.paths());
      m.put("mean", d.mean());
      m.put("sd", d.sd());
      m.put("lengths", d.lengths());
      if (r != null) {
        m.put("range", r);
      }
      out.println(JsonCodec.write(m));
      return;
    }
    int n = d.residualBlocks();
    out.printf(Locale.ROOT, "%s: %d residual blocks of %d blocks -> 2^%d = %s paths%n", d.spec(), n, d.blocks(), n,
        PathDistribution.count(d.paths()));
    if (n == 0) {
      out.println("  no block adds a shortcut, so there is one path, through every block (a plain net)");
    }
    out.printf(Locale.ROOT, "  path length ~ Binomial(%d, 1/2): mean %s, standard deviation %.4f%n", n,
        BigDecimal.valueOf(d.mean()).stripTrailingZeros().toPlainString(), d.sd());
    out.printf(Locale.ROOT, "  %6s  %26s  %12s%n", "length", "paths", "share");
    PathLengths exact = d.exact();
    for (PathDistribution.Length l : d.lengths()) {
      out.printf(Locale.ROOT, "  %6d  %26s  %12s%n", l.length(), PathDistribution.count(l.count()),
          PathDistribution.percent(exact.share(l.length())));
    }
    if (r != null) {
      out.printf(Locale.ROOT, "  lengths %d-%d: %s paths, %s of all (exactly %s)%n", r.from(), r.to(),
          PathDistribution.count(r.count()), r.percent(), shorten(r.shareExact()));
    }
  }

  private static PathDistribution.Range parseRange(String text, PathLengths d) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(\\d{1,6})\\s*-\\s*(\\d{1,6})\\s*").matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("--range '" + text + "'; allowed: A-B with 0 <= A <= B <= "
          + d.blocks() + ", e.g. 5-17");
    }
    return PathDistribution.Range.of(d, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  /** An exact decimal with more than 40 digits, cut with an ellipsis and the number of digits left out. */
  private static String shorten(String exact) {
    return exact.length() <= 42 ? exact : exact.substring(0, 40) + "... (" + (exact.length() - 40) + " more digits)";
  }
}
