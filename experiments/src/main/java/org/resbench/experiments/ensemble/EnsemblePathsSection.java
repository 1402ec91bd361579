package org.resbench.experiments.ensemble;

import static j2html.TagCreator.details;
import static j2html.TagCreator.div;
import static j2html.TagCreator.each;
import static j2html.TagCreator.h3;
import static j2html.TagCreator.p;
import static j2html.TagCreator.summary;
import static j2html.TagCreator.table;
import static j2html.TagCreator.tbody;
import static j2html.TagCreator.td;
import static j2html.TagCreator.th;
import static j2html.TagCreator.thead;
import static j2html.TagCreator.tr;

import j2html.tags.DomContent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.resbench.experiments.ensemble.EnsemblePathsData.LesionResult;
import org.resbench.experiments.ensemble.EnsemblePathsData.NetInfo;
import org.resbench.experiments.ensemble.EnsemblePathsData.PathGradientStats;
import org.resbench.experiments.ensemble.EnsemblePathsData.PathGradients;
import org.resbench.experiments.lesion.Lesions;
import org.resbench.experiments.training.TrainingCharts;
import org.resbench.reports.Chart;
import org.resbench.reports.Fmt;
import org.resbench.reports.ReportContext;
import org.resbench.reports.ReportSection;
import org.resbench.results.RunRecord;
import org.resbench.results.stats.Interval;
import org.resbench.results.stats.PathLengths;

/**
 * The {@code ensemble-paths} section: where the weights came from, the verdicts, the paper's numbers beside ours,
 * then Veit et al.'s figures (path-length distribution, gradient magnitude per path length on a log scale, total
 * gradient per length with the effective range shaded, lesion errors with bands over draws and seeds) and the
 * agreement of the backends; raw tables folded.
 */
final class EnsemblePathsSection implements ReportSection<EnsemblePathsData> {

  /** Veit et al. 2016, ResNet-110 on CIFAR-10: blocks, effective path lengths, their share of all paths. */
  static final int PAPER_BLOCKS = 54;
  static final int PAPER_FROM = 5;
  static final int PAPER_TO = 17;

  @Override
  public DomContent render(RunRecord run, EnsemblePathsData d, ReportContext ctx) {
    List<DomContent> parts = new ArrayList<>();
    int n = d.distribution().residualBlocks();
    parts.add(p("Veit et al. 2016 unravel a ResNet of n blocks into 2^n paths whose lengths follow Binomial(n, 1/2),"
        + " measure the gradient reaching the input through paths of each length by masking the backward pass"
        + " (k blocks pass gradient only through their residual branch, the others only through their shortcut;"
        + " forward values unchanged), and find that it falls exponentially with the length, so that relatively"
        + " short paths carry almost all of it; deleting or swapping blocks at test time hurts a ResNet smoothly"
        + " and a plain net badly. Data: " + shortName(d.dataset()) + ". The ResNet here: " + d.distribution().spec()
        + ", n = "
        + n + " residual blocks, " + PathDistribution.count(d.distribution().paths()) + " paths."));
    boolean trainedHere = d.nets().stream().anyMatch(NetInfo::trainedHere);
    if (trainedHere) {
      parts.add(div("Weights: the nets marked \"trained here\" were trained by this run (no trained weights were"
          + " given), so they are small, briefly trained nets, not the paper's. Point the configuration's"
          + " resnet.weights / plain.weights / stochasticDepth.weights at trained runs (run:ID[/CELL] or a"
          + " checkpoint) to study those.").withClass("note"));
    }
    // The backends study the same weights and draws, so their verdicts usually agree: each text is shown once.
    Map<String, List<EnsemblePathsData.Verdict>> verdicts = new LinkedHashMap<>();
    d.verdicts().forEach(v -> verdicts.computeIfAbsent(v.kind() + "|" + v.holds() + "|" + v.text(),
        k -> new ArrayList<>()).add(v));
    for (List<EnsemblePathsData.Verdict> vs : verdicts.values()) {
      EnsemblePathsData.Verdict v = vs.get(0);
      String backends = String.join(", ", vs.stream().map(EnsemblePathsData.Verdict::backend).toList());
      parts.add(div("Verdict (" + v.kind() + "; " + backends + "): " + v.text()).withClass(v.holds() ? "note pass"
          : "note"));
    }
    parts.add(h3("The paper's numbers beside ours"));
    parts.add(paperTable(d));
    parts.add(p("Lesion errors are mean ± 95% half-width (n) over the blocks (and seeds) in the row. The paper's"
        + " numbers are for ResNet-110 trained on CIFAR-10" + (shortName(d.dataset()).startsWith("cifar10") ? ""
            : " and are not comparable with this data set") + "; Veit et al. report the lesion results as figures,"
        + " so their column gives the shape, not a number."));
    parts.add(h3("Nets"));
    parts.add(netTable(d));

    parts.add(h3("Path lengths and the gradient per length (Fig. 6)"));
    List<String> gradientBackends = d.gradients().stream().map(PathGradients::backend).distinct().toList();
    String shown = gradientBackends.isEmpty() ? null : gradientBackends.get(0);
    List<DomContent> charts = new ArrayList<>();
    charts.add(ctx.figure(distributionChart(d)));
    charts.add(ctx.figure(paperDistributionChart()));
    if (shown != null) {
      parts.add(p("Each gradient sample: one random training batch of " + d.gradients().get(0).batch()
          + " examples, k random blocks through their branch, the L2 norm of the gradient of the mean cross-entropy"
          + " (BatchNorm in " + d.gradients().get(0).bnMode() + " mode) with respect to the whole input batch."
          + " Charts show backend '" + shown + "' (seeds pooled): the mean per length with the 10th-90th percentile"
          + " band; the total per length is the number of paths of that length times the mean, as a share of the"
          + " sum, with the effective range (" + Fmt.num(100 * d.gradients().stream().map(PathGradients::summary)
              .filter(java.util.Objects::nonNull).mapToDouble(PathGradientStats::fraction).findFirst().orElse(0.9))
          + "% of the total) shaded."));
      charts.add(ctx.figure(magnitudeChart(d, shown)));
      for (String which : List.of(EnsemblePathsData.TRAINED, EnsemblePathsData.INITIALISATION)) {
        PathGradientStats s = pooledStats(d, shown, which);
        if (s != null) {
          charts.add(ctx.figure(totalChart(which, s)));
        }
      }
    }
    parts.add(div(charts.toArray(new DomContent[0])).withClass("charts"));
    if (!d.gradients().isEmpty()) {
      parts.add(h3("Path-gradient samples per second"));
      parts.add(throughputTable(d));
    }

    if (!d.lesions().isEmpty()) {
      String first = d.lesions().get(0).backend();
      List<LesionResult> ls = d.lesions().stream().filter(l -> l.backend().equals(first)).toList();
      parts.add(h3("Lesions at test time (Fig. 3-5, 8)"));
      parts.add(p("Deleting block b sets its gate to 0: a residual block passes its shortcut only, a plain block"
          + " becomes its identity bypass. Errors on " + ls.get(0).testExamples() + " test examples, backend '" + first
          + "'; curves are means over draws and seeds with their 95% Student-t interval as a band; k = 0 is the"
          + " intact net."));
      parts.add(div(ctx.figure(singleChart(ls)), ctx.figure(curveChart(ls, false)), ctx.figure(curveChart(ls, true)))
          .withClass("charts"));
      parts.add(h3("Agreement of the backends (same weights, same lesions)"));
      parts.add(agreementTable(d));
      parts.add(details(summary("Single-block lesion errors per block"), singleTable(d)));
    }
    if (!d.skips().isEmpty()) {
      parts.add(h3("Skipped"));
      parts.add(table(thead(tr(th("backend").withClass("l"), th("what").withClass("l"), th("why").withClass("l"))),
          tbody(each(d.skips(), s -> tr(td(s.backend()).withClass("l"), td(s.what()).withClass("l"),
              td(s.reason()).withClass("l"))))));
    }
    if (!d.runs().isEmpty()) {
      parts.add(details(summary("Nets trained by this run (" + d.runs().size() + ")"),
          TrainingCharts.runTable(d.runs())));
    }
    return div(parts.toArray(new DomContent[0]));
  }

  /**
   * The summary table's cells: per backend, the effective range and decay of the trained weights' path gradients and
   * the single-block lesion increase of the ResNet and the plain net; then whether each of the paper's claims holds
   * on the trained weights, with the backends where it does (or does not).
   */
  @Override
  public List<org.resbench.reports.Headline> headlines(RunRecord run, EnsemblePathsData d) {
    List<org.resbench.reports.Headline> out = new ArrayList<>();
    java.util.Set<String> backends = new java.util.LinkedHashSet<>();
    d.gradients().forEach(g -> backends.add(g.backend()));
    d.lesions().forEach(l -> backends.add(l.backend()));
    for (String b : backends) {
      List<String> parts = new ArrayList<>();
      PathGradientStats s = pooledStats(d, b, EnsemblePathsData.TRAINED);
      if (s != null) {
        int n = s.mean().length - 1;
        parts.add("effective paths " + s.effectiveFrom() + "-" + s.effectiveTo() + " of " + n);
        if (s.decay() != null) {
          parts.add("x" + Fmt.fixed(s.decay().rate(), 3) + " per block (R² " + Fmt.fixed(s.decay().r2(), 2) + ")");
        }
      }
      List<LesionResult> res = d.lesions().stream().filter(l -> l.backend().equals(b) && l.role().equals("resnet"))
          .toList();
      List<LesionResult> plain = d.lesions().stream().filter(l -> l.backend().equals(b) && l.role().equals("plain"))
          .toList();
      if (!res.isEmpty() && !plain.isEmpty()) {
        parts.add("one block deleted: +" + Fmt.fixed(EnsemblePathsExperiment.meanSingleIncrease(res), 1)
            + " points (ResNet) vs +" + Fmt.fixed(EnsemblePathsExperiment.meanSingleIncrease(plain), 1) + " (plain)");
      }
      if (!parts.isEmpty()) {
        out.add(org.resbench.reports.Headline.info(b, String.join("; ", parts)));
      }
    }
    Map<String, List<String>> claims = new LinkedHashMap<>();
    for (EnsemblePathsData.Verdict v : d.verdicts()) {
      if (!v.text().startsWith(EnsemblePathsData.INITIALISATION)) {
        claims.computeIfAbsent(v.kind() + "|" + v.holds(), k -> new ArrayList<>()).add(v.backend());
      }
    }
    claims.forEach((key, bs) -> {
      String kind = key.substring(0, key.indexOf('|'));
      boolean holds = key.endsWith("|true");
      String claim = switch (kind) {
        case "decay" -> "gradient falls exponentially with path length";
        case "effective-range" -> "short paths carry the gradient";
        case "plain-vs-resnet" -> "lesions hurt the plain net much more";
        default -> kind;
      };
      out.add(org.resbench.reports.Headline.info(claim + " (" + String.join(", ", bs.stream().distinct().toList())
          + ")", holds ? "yes, as in the paper" : "no, unlike the paper"));
    });
    return out;
  }

  /** The summary of one backend's samples for {@code which} weights, seeds pooled, or null. */
  static PathGradientStats pooledStats(EnsemblePathsData d, String backend, String which) {
    List<PathGradients> gs = d.gradients().stream().filter(g -> g.backend().equals(backend)
        && g.weights().equals(which)).toList();
    if (gs.isEmpty()) {
      return null;
    }
    return gs.size() == 1 ? gs.get(0).summary() : EnsemblePathsExperiment.summary(EnsemblePathsExperiment.pooled(gs),
        gs.get(0).summary() == null ? 0.9 : gs.get(0).summary().fraction());
  }

  private static DomContent paperTable(EnsemblePathsData d) {
    List<String> gb = d.gradients().stream().map(PathGradients::backend).distinct().toList();
    List<String> lb = d.lesions().stream().map(LesionResult::backend).distinct().toList();
    List<String> backends = new ArrayList<>(gb);
    lb.stream().filter(b -> !backends.contains(b)).forEach(backends::add);
    PathLengths paper = PathLengths.of(PAPER_BLOCKS);
    List<DomContent> rows = new ArrayList<>();
    rows.add(row("residual blocks n", String.valueOf(PAPER_BLOCKS), backends, b -> String.valueOf(d.distribution()
        .residualBlocks())));
    rows.add(row("effective path lengths (" + "trained; shortest range with 90% of the total gradient)",
        PAPER_FROM + "-" + PAPER_TO + " of " + PAPER_BLOCKS, backends, b -> stat(d, b, s -> s.effectiveFrom() + "-"
            + s.effectiveTo() + " of " + (s.mean().length - 1))));
    rows.add(row("... as a fraction of n", Fmt.fixed(PAPER_FROM / (double) PAPER_BLOCKS, 2) + "-" + Fmt.fixed(PAPER_TO
        / (double) PAPER_BLOCKS, 2), backends, b -> stat(d, b, s -> Fmt.fixed(s.effectiveFrom() / (double) (s.mean()
            .length - 1), 2) + "-" + Fmt.fixed(s.effectiveTo() / (double) (s.mean().length - 1), 2))));
    rows.add(row("... their share of all 2^n paths", PathDistribution.percent(paper.shareInRange(PAPER_FROM, PAPER_TO))
        + " (paper: 0.45%)", backends, b -> stat(d, b, s -> PathDistribution.percent(new BigDecimal(
            s.pathShareExact())))));
    rows.add(row("gradient-weighted mean path length (typical path: n/2)", "-", backends, b -> stat(d, b,
        s -> Fmt.fixed(s.weightedMeanLength(), 2) + " (" + Fmt.fixed(s.weightedMeanLength() / (s.mean().length - 1), 2)
            + " of n)")));
    rows.add(row("gradient magnitude per block of path length (b in a·b^k, R² on the log scale)",
        "falls exponentially", backends, b -> stat(d, b, s -> s.decay() == null ? "-" : Fmt.fixed(s.decay().rate(), 3)
            + " (R² " + Fmt.fixed(s.decay().r2(), 3) + ")")));
    rows.add(row("ResNet, intact test error %", "6.43 (ResNet-110, He et al. Table 6)", backends, b -> lesion(d, b,
        "resnet",
        l -> new double[] {l.single().wholeErrorPercent()})));
    rows.add(row("ResNet, one downsampling block deleted: error %", "clearly higher", backends, b -> lesion(d, b,
        "resnet", l -> pick(l.single(), true))));
    rows.add(row("ResNet, one other block deleted: error %", "close to intact", backends, b -> lesion(d, b, "resnet",
        l -> pick(l.single(), false))));
    rows.add(row("plain net, intact test error %", "-", backends, b -> lesion(d, b, "plain",
        l -> new double[] {l.single().wholeErrorPercent()})));
    rows.add(row("plain net, one block deleted: error %", "near chance (90%, VGG)", backends, b -> lesion(d, b,
        "plain", l -> l.single().errorPercent())));
    if (d.lesions().stream().anyMatch(l -> l.role().equals("stochastic-depth"))) {
      rows.add(row("stochastic-depth net, one block deleted: error %", "more robust than the ResNet", backends,
          b -> lesion(d, b, "stochastic-depth", l -> l.single().errorPercent())));
    }
    List<DomContent> head = new ArrayList<>(List.of(th("quantity").withClass("l"),
        th("Veit et al. (ResNet-110, CIFAR-10)").withClass("l")));
    backends.forEach(b -> head.add(th("ours: " + b)));
    return table(thead(tr(head.toArray(new DomContent[0]))), tbody(each(rows, r -> r)));
  }

  private static DomContent row(String what, String paper, List<String> backends, Function<String, String> ours) {
    List<DomContent> cells = new ArrayList<>(List.of(td(what).withClass("l"), td(paper).withClass("l")));
    backends.forEach(b -> cells.add(td(ours.apply(b))));
    return tr(cells.toArray(new DomContent[0]));
  }

  private static String stat(EnsemblePathsData d, String backend, Function<PathGradientStats, String> f) {
    PathGradientStats s = pooledStats(d, backend, EnsemblePathsData.TRAINED);
    return s == null ? "-" : f.apply(s);
  }

  /** Mean ± 95% half-width over the values {@code f} picks from every seed's lesions of {@code role}. */
  private static String lesion(EnsemblePathsData d, String backend, String role, Function<LesionResult, double[]> f) {
    double[] v = d.lesions().stream().filter(l -> l.backend().equals(backend) && l.role().equals(role))
        .flatMapToDouble(l -> Arrays.stream(f.apply(l))).toArray();
    return v.length == 0 ? "-" : TrainingCharts.meanPlusMinus(v);
  }

  private static double[] pick(Lesions.SingleBlock s, boolean downsampling) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < s.errorPercent().length; i++) {
      if (s.downsampling()[i] == downsampling) {
        out.add(s.errorPercent()[i]);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static DomContent netTable(EnsemblePathsData d) {
    return table(thead(tr(th("role").withClass("l"), th("spec").withClass("l"), th("seed"), th("test error %"),
        th("weights sha256").withClass("l"), th("weights from").withClass("l"))),
        tbody(each(d.nets(), x -> tr(td(x.role()).withClass("l"), td(x.spec()).withClass("l"),
            td(String.valueOf(x.seed())), td(x.testErrorPercent() == null ? "-" : Fmt.fixed(x.testErrorPercent(), 2)),
            td(x.weightsHash() == null ? "-" : x.weightsHash().substring(0, 16)).withClass("l"),
            td(x.source()).withClass("l")))));
  }

  private static Chart distributionChart(EnsemblePathsData d) {
    double[] ours = d.distribution().shares();
    double[] x = lengths(ours.length);
    return new Chart("Path-length distribution of " + d.distribution().spec() + ": share of its 2^" + (ours.length - 1)
        + " paths per length (Binomial(" + (ours.length - 1) + ", 1/2))", "path length k (residual branches on the"
        + " path)", "share of all paths", false, false, List.of(new Chart.Series(d.distribution().spec() + " (n = "
            + (ours.length - 1) + ")", x, ours, Chart.Style.LINE_AND_POINTS)));
  }

  /** The paper's net for comparison: ResNet-110's 54 blocks with the effective paths 5-17 shaded. */
  private static Chart paperDistributionChart() {
    double[] paper = PathLengths.of(PAPER_BLOCKS).shares();
    double[] x = lengths(paper.length);
    double max = Arrays.stream(paper).max().orElse(1);
    int len = PAPER_TO - PAPER_FROM + 1;
    double[] bx = new double[len];
    double[] hi = new double[len];
    for (int i = 0; i < len; i++) {
      bx[i] = PAPER_FROM + i;
      hi[i] = max;
    }
    return new Chart("ResNet-110 (Veit et al.): 54 blocks; the effective paths 5-17 (shaded) are "
        + PathDistribution.percent(PathLengths.of(PAPER_BLOCKS).shareInRange(PAPER_FROM, PAPER_TO)) + " of the 2^54",
        "path length k", "share of all paths", false, false, List.of(new Chart.Series("ResNet-110 (n = 54)", x, paper,
            Chart.Style.LINE)), List.of(new Chart.Band("effective paths (Veit et al.)", bx, new double[len], hi, 1)));
  }

  private static Chart magnitudeChart(EnsemblePathsData d, String backend) {
    List<Chart.Series> series = new ArrayList<>();
    List<Chart.Band> bands = new ArrayList<>();
    int colour = 0;
    for (String which : List.of(EnsemblePathsData.TRAINED, EnsemblePathsData.INITIALISATION)) {
      PathGradientStats s = pooledStats(d, backend, which);
      if (s == null) {
        continue;
      }
      double[] x = lengths(s.mean().length);
      series.add(new Chart.Series(which + " weights: mean", x, s.mean(), Chart.Style.LINE_AND_POINTS)
          .withColour(colour));
      bands.add(new Chart.Band(which + " 10-90%", x, s.p10(), s.p90(), colour));
      if (s.decay() != null) {
        double[] fit = new double[x.length];
        for (int k = 0; k < x.length; k++) {
          fit[k] = s.decay().at(x[k]);
        }
        series.add(new Chart.Series(which + ": fit " + Fmt.num(s.decay().a()) + "·" + Fmt.fixed(s.decay().rate(), 3)
            + "^k (R² " + Fmt.fixed(s.decay().r2(), 3) + ")", x, fit, Chart.Style.DASHED).withColour(colour));
      }
      colour++;
    }
    return new Chart("Gradient magnitude at the input per path length (log scale; Fig. 6b)", "path length k",
        "norm of the input gradient", false, true, series, bands);
  }

  private static Chart totalChart(String which, PathGradientStats s) {
    double[] x = lengths(s.totalShare().length);
    double max = Arrays.stream(s.totalShare()).max().orElse(1);
    int len = s.effectiveTo() - s.effectiveFrom() + 1;
    double[] bx = new double[len];
    double[] lo = new double[len];
    double[] hi = new double[len];
    for (int i = 0; i < len; i++) {
      bx[i] = s.effectiveFrom() + i;
      hi[i] = max;
    }
    return new Chart("Total gradient per path length, " + which + " weights (Fig. 6c): lengths " + s.effectiveFrom()
        + "-" + s.effectiveTo() + " hold " + Fmt.fixed(100 * s.effectiveTotalShare(), 1) + "% (shaded)",
        "path length k", "share of the total gradient", false, false,
        List.of(new Chart.Series("paths of length k × mean magnitude, share", x, s.totalShare(),
            Chart.Style.LINE_AND_POINTS).withColour(0)),
        List.of(new Chart.Band("effective range", bx, lo, hi, 1)));
  }

  private static double[] lengths(int count) {
    double[] x = new double[count];
    for (int k = 0; k < count; k++) {
      x[k] = k;
    }
    return x;
  }

  private static Chart singleChart(List<LesionResult> ls) {
    List<Chart.Series> series = new ArrayList<>();
    int colour = 0;
    List<Chart.Series> markers = new ArrayList<>();
    List<Integer> downsampling = new ArrayList<>();
    for (Map.Entry<String, List<LesionResult>> e : byRole(ls).entrySet()) {
      int blocks = e.getValue().get(0).single().errorPercent().length;
      double[] x = new double[blocks];
      double[] mean = new double[blocks];
      double[] whole = new double[blocks];
      List<Double> dx = new ArrayList<>();
      List<Double> dy = new ArrayList<>();
      for (int b = 0; b < blocks; b++) {
        final int bb = b;
        x[b] = b;
        mean[b] = e.getValue().stream().mapToDouble(l -> l.single().errorPercent()[bb]).average().orElse(Double.NaN);
        whole[b] = e.getValue().stream().mapToDouble(l -> l.single().wholeErrorPercent()).average().orElse(Double.NaN);
        if (e.getValue().get(0).single().downsampling()[b]) {
          dx.add((double) b);
          dy.add(mean[b]);
          if (!downsampling.contains(b)) {
            downsampling.add(b);
          }
        }
      }
      series.add(new Chart.Series(e.getKey() + ": one block deleted", x, mean, Chart.Style.LINE_AND_POINTS)
          .withColour(colour));
      series.add(new Chart.Series(e.getKey() + ": intact", x, whole, Chart.Style.DASHED).withColour(colour));
      if (!dx.isEmpty()) {
        markers.add(new Chart.Series(e.getKey() + ": downsampling blocks", dx.stream().mapToDouble(Double::doubleValue)
            .toArray(), dy.stream().mapToDouble(Double::doubleValue).toArray(), Chart.Style.POINTS)
            .withColour(colour + 3));
      }
      colour++;
    }
    // The renderer draws the first series last (on top): the markers go first so the lines do not hide them.
    series.addAll(0, markers);
    return new Chart("Test error with one block deleted (Fig. 3)", "deleted block" + (downsampling.isEmpty() ? ""
        : " (downsampling: " + String.join(", ", downsampling.stream().map(String::valueOf).toList()) + ")"),
        "test error %", false, false, series);
  }

  private static Chart curveChart(List<LesionResult> ls, boolean swaps) {
    List<Chart.Series> series = new ArrayList<>();
    List<Chart.Band> bands = new ArrayList<>();
    int colour = 0;
    for (Map.Entry<String, List<LesionResult>> e : byRole(ls).entrySet()) {
      Map<Integer, List<Double>> byK = new java.util.TreeMap<>();
      for (LesionResult l : e.getValue()) {
        byK.computeIfAbsent(0, k -> new ArrayList<>()).add(l.single().wholeErrorPercent());
        if (swaps) {
          l.swaps().forEach(s -> Arrays.stream(s.errorPercent()).forEach(v -> byK.computeIfAbsent(s.k(),
              k -> new ArrayList<>()).add(v)));
        } else {
          l.deletions().forEach(s -> Arrays.stream(s.errorPercent()).forEach(v -> byK.computeIfAbsent(s.k(),
              k -> new ArrayList<>()).add(v)));
        }
      }
      if (byK.size() < 2) {
        continue;
      }
      double[] x = new double[byK.size()];
      double[] mean = new double[x.length];
      double[] lo = new double[x.length];
      double[] hi = new double[x.length];
      int i = 0;
      for (Map.Entry<Integer, List<Double>> k : byK.entrySet()) {
        Interval ci = Interval.ofMean(k.getValue().stream().mapToDouble(Double::doubleValue).toArray(), 0.95);
        x[i] = k.getKey();
        mean[i] = ci.mean();
        // Errors live in [0, 100]; a t-interval over a few draws can reach beyond, which the band does not show.
        lo[i] = Math.max(0, ci.n() > 1 ? ci.lower() : ci.mean());
        hi[i] = Math.min(100, ci.n() > 1 ? ci.upper() : ci.mean());
        i++;
      }
      series.add(new Chart.Series(e.getKey(), x, mean, Chart.Style.LINE_AND_POINTS).withColour(colour));
      bands.add(new Chart.Band(e.getKey() + " 95% interval", x, lo, hi, colour));
      colour++;
    }
    return new Chart(swaps ? "Test error with k random pairs of same-shape blocks swapped (Fig. 5b)"
        : "Test error with k random blocks deleted (Fig. 5a)", swaps ? "pairs swapped k" : "blocks deleted k",
        "test error %", false, false, series, bands);
  }

  /** The data set's name from its description (its first word, e.g. {@code fashion-mnist}). */
  static String shortName(String description) {
    String s = description == null ? "" : description.trim();
    int cut = s.length();
    for (char c : new char[] {' ', '{', '['}) {
      int i = s.indexOf(c);
      if (i > 0) {
        cut = Math.min(cut, i);
      }
    }
    return s.substring(0, cut);
  }

  private static Map<String, List<LesionResult>> byRole(List<LesionResult> ls) {
    Map<String, List<LesionResult>> m = new LinkedHashMap<>();
    ls.forEach(l -> m.computeIfAbsent(l.role(), r -> new ArrayList<>()).add(l));
    return m;
  }

  private static DomContent throughputTable(EnsemblePathsData d) {
    return table(thead(tr(th("backend").withClass("l"), th("weights").withClass("l"), th("seed"), th("samples"),
        th("batch"), th("workers"), th("seconds"), th("samples/s"))),
        tbody(each(d.gradients(), g -> tr(td(g.backend()).withClass("l"), td(g.weights()).withClass("l"),
            td(String.valueOf(g.seed())), td(String.valueOf(g.magnitudes().length * g.magnitudes()[0].length)),
            td(String.valueOf(g.batch())), td(String.valueOf(g.workers())), td(Fmt.num(g.seconds())),
            td(Fmt.num(g.samplesPerSecond()))))));
  }

  /**
   * Per backend against the first: lesion errors of the same net, seed and lesion (intact, each single block,
   * every deletion and swap draw) and path-gradient samples of the same (weights, seed, k, sample).
   */
  private static DomContent agreementTable(EnsemblePathsData d) {
    List<String> backends = d.lesions().stream().map(LesionResult::backend).distinct().toList();
    String base = backends.get(0);
    List<DomContent> rows = new ArrayList<>();
    for (String b : backends.subList(1, backends.size())) {
      for (String role : d.lesions().stream().map(LesionResult::role).distinct().toList()) {
        double max = 0;
        double sum = 0;
        int count = 0;
        for (LesionResult x : d.lesions().stream().filter(l -> l.backend().equals(base) && l.role().equals(role))
            .toList()) {
          LesionResult y = d.lesions().stream().filter(l -> l.backend().equals(b) && l.role().equals(role)
              && l.seed() == x.seed()).findFirst().orElse(null);
          if (y == null) {
            continue;
          }
          double[] ex = flatten(x);
          double[] ey = flatten(y);
          for (int i = 0; i < Math.min(ex.length, ey.length); i++) {
            double diff = Math.abs(ex[i] - ey[i]);
            max = Math.max(max, diff);
            sum += diff;
            count++;
          }
        }
        if (count > 0) {
          rows.add(tr(td(b + " vs " + base).withClass("l"), td("lesion errors, " + role).withClass("l"),
              td(String.valueOf(count)), td(Fmt.fixed(max, 2) + " points"), td(Fmt.fixed(sum / count, 3) + " points")));
        }
      }
    }
    List<String> gb = d.gradients().stream().map(PathGradients::backend).distinct().toList();
    for (String b : gb.isEmpty() ? List.<String>of() : gb.subList(1, gb.size())) {
      double max = 0;
      double sum = 0;
      int count = 0;
      for (PathGradients x : d.gradients().stream().filter(g -> g.backend().equals(gb.get(0))).toList()) {
        PathGradients y = d.gradients().stream().filter(g -> g.backend().equals(b) && g.weights().equals(x.weights())
            && g.seed() == x.seed()).findFirst().orElse(null);
        if (y == null) {
          continue;
        }
        for (int k = 0; k < Math.min(x.magnitudes().length, y.magnitudes().length); k++) {
          for (int s = 0; s < Math.min(x.magnitudes()[k].length, y.magnitudes()[k].length); s++) {
            double rel = Math.abs(x.magnitudes()[k][s] - y.magnitudes()[k][s]) / Math.max(1e-30,
                Math.abs(x.magnitudes()[k][s]));
            max = Math.max(max, rel);
            sum += rel;
            count++;
          }
        }
      }
      if (count > 0) {
        rows.add(tr(td(b + " vs " + gb.get(0)).withClass("l"), td("path-gradient samples (relative)").withClass("l"),
            td(String.valueOf(count)), td(Fmt.num(max)), td(Fmt.num(sum / count))));
      }
    }
    if (rows.isEmpty()) {
      return p("One backend only: nothing to compare.");
    }
    return table(thead(tr(th("backends").withClass("l"), th("quantity").withClass("l"), th("compared"),
        th("largest difference"), th("mean difference"))), tbody(each(rows, r -> r)));
  }

  /** Every error of a lesion result in a fixed order: intact, single blocks, deletions, swaps. */
  private static double[] flatten(LesionResult l) {
    List<Double> v = new ArrayList<>();
    v.add(l.single().wholeErrorPercent());
    Arrays.stream(l.single().errorPercent()).forEach(v::add);
    l.deletions().forEach(x -> Arrays.stream(x.errorPercent()).forEach(v::add));
    l.swaps().forEach(x -> Arrays.stream(x.errorPercent()).forEach(v::add));
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static DomContent singleTable(EnsemblePathsData d) {
    List<LesionResult> ls = d.lesions();
    List<DomContent> head = new ArrayList<>(List.of(th("block"), th("downsampling")));
    ls.forEach(l -> head.add(th(l.role() + " s" + l.seed() + " " + l.backend())));
    int blocks = ls.stream().mapToInt(l -> l.single().errorPercent().length).max().orElse(0);
    List<DomContent> rows = new ArrayList<>();
    List<DomContent> intact = new ArrayList<>(List.of(td("none").withClass("l"), td("")));
    ls.forEach(l -> intact.add(td(Fmt.fixed(l.single().wholeErrorPercent(), 2))));
    rows.add(tr(intact.toArray(new DomContent[0])));
    for (int b = 0; b < blocks; b++) {
      final int bb = b;
      List<DomContent> cells = new ArrayList<>(List.of(td(String.valueOf(b)).withClass("l"),
          td(ls.get(0).single().downsampling().length > b && ls.get(0).single().downsampling()[b] ? "yes" : "")));
      ls.forEach(l -> cells.add(td(l.single().errorPercent().length > bb ? Fmt.fixed(l.single().errorPercent()[bb], 2)
          : "-")));
      rows.add(tr(cells.toArray(new DomContent[0])));
    }
    return table(thead(tr(head.toArray(new DomContent[0]))), tbody(each(rows, r -> r)));
  }
}
