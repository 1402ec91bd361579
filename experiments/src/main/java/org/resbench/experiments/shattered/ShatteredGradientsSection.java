package org.resbench.experiments.shattered;

import static j2html.TagCreator.div;
import static j2html.TagCreator.each;
import static j2html.TagCreator.h3;
import static j2html.TagCreator.p;
import static j2html.TagCreator.table;
import static j2html.TagCreator.tbody;
import static j2html.TagCreator.td;
import static j2html.TagCreator.th;
import static j2html.TagCreator.thead;
import static j2html.TagCreator.tr;

import j2html.tags.DomContent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.resbench.experiments.shattered.ShatteredGradientsData.DepthFit;
import org.resbench.experiments.shattered.ShatteredGradientsData.GradientCurve;
import org.resbench.experiments.shattered.ShatteredGradientsData.UnitActivity;
import org.resbench.reports.Chart;
import org.resbench.reports.Fmt;
import org.resbench.reports.Headline;
import org.resbench.reports.ReportContext;
import org.resbench.reports.ReportSection;
import org.resbench.results.RunRecord;
import org.resbench.results.stats.CurveFit;
import org.resbench.results.stats.DecayLaw;

/** The shattered-gradients section: the paper's Fig. 1 layout, autocorrelations, decay with depth and fits. */
final class ShatteredGradientsSection implements ReportSection<ShatteredGradientsData> {

  /** Correlations at or below this are drawn at it on log axes. */
  static final double LOG_FLOOR = 1e-3;

  @Override
  public DomContent render(RunRecord run, ShatteredGradientsData d, ReportContext charts) {
    List<DomContent> parts = new ArrayList<>();
    String primary = d.backends().contains("reference") ? "reference" : d.backends().isEmpty() ? "" : d.backends()
        .get(0);
    parts.add(p("Balduzzi et al. 2017: in deep feedforward rectifier nets the correlation between gradients at "
        + "nearby inputs decays exponentially with depth (about 2^-L), so gradients look like white noise; with "
        + "skip connections it decays sublinearly (about L^-1/2). Networks at initialisation; BatchNorm statistics "
        + "over the batch of inputs. Charts show backend '" + primary + "'; tables show every backend."));
    ShatteredGradientsData.MlpStudy mlp = d.mlp();
    if (mlp != null) {
      parts.add(h3("MLP study: width " + mlp.width() + ", " + mlp.inputs().length + " inputs in ["
          + Fmt.num(mlp.inputs()[0]) + ", " + Fmt.num(mlp.inputs()[mlp.inputs().length - 1]) + "], depths "
          + mlp.depths()));
      List<String> families = families(mlp.curves());
      List<Integer> shown = shownDepths(mlp.depths());
      List<DomContent> fig1 = new ArrayList<>();
      for (String fam : families) {
        List<Chart.Series> series = new ArrayList<>();
        for (int depth : shown) {
          GradientCurve c = GradientCurve.find(mlp.curves(), primary, fam, depth);
          if (c != null) {
            series.add(Chart.Series.line("depth " + depth, mlp.inputs(), standardised(c.gradients())));
          }
        }
        fig1.add(charts.figure(new Chart(fam + ": gradient dy/dx against the input (standardised per depth)",
            "input x", "dy/dx (standardised)", false, false, series)));
      }
      parts.add(div(fig1.toArray(new DomContent[0])).withClass("charts"));
      List<DomContent> ac = new ArrayList<>();
      for (String fam : families) {
        List<Chart.Series> series = new ArrayList<>();
        for (int depth : shown) {
          GradientCurve c = GradientCurve.find(mlp.curves(), primary, fam, depth);
          if (c != null) {
            series.add(Chart.Series.line("depth " + depth, c.autocorrelation()));
          }
        }
        ac.add(charts.figure(new Chart(fam + ": autocorrelation of the gradient by lag", "lag", "autocorrelation",
            false, false, series)));
      }
      parts.add(div(ac.toArray(new DomContent[0])).withClass("charts"));
      parts.add(div(decayChart(charts, "MLP", mlp.curves(), mlp.fits(), mlp.spreads(), primary, families))
          .withClass("charts"));
      parts.add(fitTable(mlp.fits()));
      parts.add(correlationTable(mlp.curves(), mlp.spreads(), mlp.depths(), d.backends()));
      parts.add(agreementTable(mlp.curves(), primary, d.backends()));
      if (!mlp.activity().isEmpty()) {
        parts.add(h3("ReLU activity and activation variance"));
        parts.add(p("Fraction of ReLU units that are on for every input or off for every input (averaged over "
            + "layers), and the mean activation variance across inputs of the last layer. Without BatchNorm, units "
            + "in deep nets tend to be always on or always off (Balduzzi et al.)."));
        List<Chart.Series> series = new ArrayList<>();
        for (String fam : families) {
          UnitActivity a = mlp.activity().stream().filter(x -> x.backend().equals(primary) && x.family().equals(fam))
              .reduce((x, y) -> y.depth() > x.depth() ? y : x).orElse(null);
          if (a != null) {
            series.add(new Chart.Series(fam + " (depth " + a.depth() + ")", indices(a.variance().length), a.variance(),
                Chart.Style.LINE_AND_POINTS));
          }
        }
        if (!series.isEmpty()) {
          parts.add(div(charts.figure(new Chart("Activation variance across inputs by layer (deepest net per family)",
              "layer", "mean variance", false, true, series))).withClass("charts"));
        }
        parts.add(activityTable(mlp.activity()));
      }
    }
    ShatteredGradientsData.ConvStudy conv = d.conv();
    if (conv != null) {
      parts.add(h3("Convolutional study: " + conv.points() + " inputs along " + conv.endpoints()));
      List<String> families = families(conv.curves());
      List<DomContent> cs = new ArrayList<>();
      cs.add(decayChart(charts, "Conv", conv.curves(), conv.fits(), conv.spreads(), primary, families));
      List<Chart.Series> series = new ArrayList<>();
      for (String fam : families) {
        int deepest = conv.depths().get(conv.depths().size() - 1);
        GradientCurve c = GradientCurve.find(conv.curves(), primary, fam, deepest);
        if (c != null) {
          series.add(Chart.Series.line(fam + "-" + deepest, c.neighbourCorrelations()));
        }
      }
      cs.add(charts.figure(new Chart("Correlation of neighbouring input gradients along the line (deepest nets)",
          "point i", "corr(g_i, g_i+1)", false, false, series)));
      parts.add(div(cs.toArray(new DomContent[0])).withClass("charts"));
      parts.add(fitTable(conv.fits()));
      parts.add(correlationTable(conv.curves(), conv.spreads(), conv.depths(), d.backends()));
      parts.add(agreementTable(conv.curves(), primary, d.backends()));
    }
    return div(parts.toArray(new DomContent[0]));
  }

  private static DomContent decayChart(ReportContext charts, String study, List<GradientCurve> curves,
      List<DepthFit> fits, List<ShatteredGradientsData.DepthSpread> spreads, String backend, List<String> families) {
    List<Chart.Series> series = new ArrayList<>();
    List<Chart.Band> bands = new ArrayList<>();
    for (int fi = 0; fi < families.size(); fi++) {
      String fam = families.get(fi);
      List<ShatteredGradientsData.DepthSpread> ss = spreadsOf(curves, spreads, backend, fam);
      double[] x = ss.stream().mapToDouble(ShatteredGradientsData.DepthSpread::depth).toArray();
      double[] y = ss.stream().mapToDouble(c -> Math.max(LOG_FLOOR, c.mean())).toArray();
      boolean seeds = ss.stream().anyMatch(c -> c.seeds() > 1);
      series.add(new Chart.Series(fam + (seeds ? " (mean over seeds)" : ""), x, y, Chart.Style.POINTS)
          .withColour(fi));
      if (seeds) {
        bands.add(new Chart.Band(fam + " 95% interval", x, ss.stream().mapToDouble(c -> Math.max(LOG_FLOOR,
            c.lower())).toArray(), ss.stream().mapToDouble(c -> Math.max(LOG_FLOOR, c.upper())).toArray(), fi));
      }
      DepthFit f = fits.stream().filter(ft -> ft.backend().equals(backend) && ft.family().equals(fam)).findFirst()
          .orElse(null);
      if (f != null && x.length > 0) {
        CurveFit.Fit best = f.best();
        double[] fx = new double[50];
        double[] fy = new double[50];
        for (int i = 0; i < 50; i++) {
          fx[i] = x[0] * Math.pow(x[x.length - 1] / x[0], i / 49.0);
          fy[i] = Math.max(LOG_FLOOR, best.at(fx[i]));
        }
        series.add(new Chart.Series(fam + " fit: " + describe(best), fx, fy, Chart.Style.DASHED).withColour(fi));
      }
    }
    return charts.figure(new Chart(study + ": correlation of neighbouring gradients against depth, with the better"
        + " fit per family (log axes; values at or below " + LOG_FLOOR + " drawn at it; bands: 95% intervals over"
        + " seeds)", "depth (blocks)", "neighbour correlation", true, true, series, bands)
        .withDescription(decaySentence(curves, fits, spreads, backend, families)));
  }

  /**
   * One sentence per family: how the neighbour correlation changes from the shallowest to the deepest net, and the
   * better fit, e.g. "ff-bn correlation falls from 0.93 at depth 1 to 0.0012 at depth 50 (better fit: exponential,
   * b = 0.52)".
   */
  static String decaySentence(List<GradientCurve> curves, List<DepthFit> fits,
      List<ShatteredGradientsData.DepthSpread> spreads, String backend, List<String> families) {
    List<String> parts = new ArrayList<>();
    for (String fam : families) {
      String change = change(spreadsOf(curves, spreads, backend, fam));
      if (change == null) {
        continue;
      }
      DepthFit f = fits.stream().filter(ft -> ft.backend().equals(backend) && ft.family().equals(fam)).findFirst()
          .orElse(null);
      parts.add(fam + " correlation " + change + (f == null ? "" : " (better fit: " + f.better().label() + ", "
          + (f.better() == DecayLaw.EXPONENTIAL ? "b = " : "c = ") + Fmt.num(f.best().rate()) + ")"));
    }
    return parts.isEmpty() ? null : String.join("; ", parts) + ".";
  }

  /** "falls from 0.93 at depth 1 to 0.0012 at depth 50", or null without values. */
  private static String change(List<ShatteredGradientsData.DepthSpread> ss) {
    if (ss.isEmpty()) {
      return null;
    }
    ShatteredGradientsData.DepthSpread a = ss.get(0);
    ShatteredGradientsData.DepthSpread b = ss.get(ss.size() - 1);
    if (ss.size() == 1) {
      return "is " + Fmt.num(a.mean()) + " at depth " + a.depth();
    }
    return (b.mean() < a.mean() ? "falls" : b.mean() > a.mean() ? "rises" : "stays") + " from " + Fmt.num(a.mean())
        + " at depth " + a.depth() + " to " + Fmt.num(b.mean()) + " at depth " + b.depth();
  }

  /** Per family of each study (first backend, as the charts): the correlation's change with depth and the fit. */
  @Override
  public List<Headline> headlines(RunRecord run, ShatteredGradientsData d) {
    String primary = d.backends().contains("reference") ? "reference" : d.backends().isEmpty() ? ""
        : d.backends().get(0);
    List<Headline> out = new ArrayList<>();
    if (d.mlp() != null) {
      addHeadlines(out, "MLP", d.mlp().curves(), d.mlp().fits(), d.mlp().spreads(), primary);
    }
    if (d.conv() != null) {
      addHeadlines(out, "conv", d.conv().curves(), d.conv().fits(), d.conv().spreads(), primary);
    }
    return out;
  }

  private static void addHeadlines(List<Headline> out, String study, List<GradientCurve> curves, List<DepthFit> fits,
      List<ShatteredGradientsData.DepthSpread> spreads, String backend) {
    for (String fam : families(curves)) {
      String change = change(spreadsOf(curves, spreads, backend, fam));
      if (change == null) {
        continue;
      }
      DepthFit f = fits.stream().filter(ft -> ft.backend().equals(backend) && ft.family().equals(fam)).findFirst()
          .orElse(null);
      out.add(Headline.info(study + " " + fam, "correlation " + change + (f == null ? "" : "; better fit "
          + f.better().label() + " (" + describe(f.best()) + ")")));
    }
  }

  /**
   * The per-depth spreads of (backend, family), or, for records made before seeds (no spreads), one per curve.
   */
  static List<ShatteredGradientsData.DepthSpread> spreadsOf(List<GradientCurve> curves,
      List<ShatteredGradientsData.DepthSpread> spreads, String backend, String family) {
    List<ShatteredGradientsData.DepthSpread> ss = spreads.stream().filter(x -> x.backend().equals(backend)
        && x.family().equals(family)).sorted(java.util.Comparator.comparingInt(
            ShatteredGradientsData.DepthSpread::depth)).toList();
    if (!ss.isEmpty()) {
      return ss;
    }
    return curves.stream().filter(c -> c.backend().equals(backend) && c.family().equals(family))
        .sorted(java.util.Comparator.comparingInt(GradientCurve::depth)).map(c -> new ShatteredGradientsData
        .DepthSpread(backend, family, c.depth(), 1, c.neighbourCorrelation(), Double.NaN, Double.NaN)).toList();
  }

  static String describe(CurveFit.Fit f) {
    return f.law() == DecayLaw.EXPONENTIAL ? Fmt.num(f.a()) + " * " + Fmt.num(f.rate()) + "^L"
        : Fmt.num(f.a()) + " * L^" + (f.rate() >= 0 ? "-" + Fmt.num(f.rate()) : Fmt.num(-f.rate()));
  }

  private static DomContent fitTable(List<DepthFit> fits) {
    return table(thead(tr(th("backend").withClass("l"), th("family").withClass("l"), th("exponential a*b^L"),
        th("RSS"), th("R2"), th("power a*L^-c"), th("RSS"), th("R2"), th("better").withClass("l"),
        th("paper").withClass("l"))),
        tbody(each(fits, f -> tr(td(f.backend()).withClass("l"), td(f.family()).withClass("l"),
            td("b = " + Fmt.num(f.exponential().rate()) + overSeeds(f.exponentialRates())),
            td(Fmt.num(f.exponential().rss())), td(Fmt.num(f.exponential().r2())),
            td("c = " + Fmt.num(f.powerLaw().rate()) + overSeeds(f.powerRates())),
            td(Fmt.num(f.powerLaw().rss())), td(Fmt.num(f.powerLaw().r2())), td(f.better().label()).withClass("l"),
            td(paperLaw(f.family())).withClass("l")))));
  }

  /** The spread of per-seed fitted rates, as {@code  (seeds: mean ± half-width, n)}, or nothing for one seed. */
  static String overSeeds(List<Double> rates) {
    if (rates.size() < 2) {
      return "";
    }
    org.resbench.results.stats.Interval ci = org.resbench.results.stats.Interval.ofMean(rates.stream()
        .mapToDouble(Double::doubleValue).toArray(), 0.95);
    return " (per seed " + Fmt.num(ci.mean()) + " ± " + Fmt.num(ci.halfWidth()) + ", n=" + rates.size() + ")";
  }

  /** The law the paper reports for a family. */
  static String paperLaw(String family) {
    if (family.startsWith("ff") || family.startsWith("plain")) {
      return "exponential, b ~ 0.5 (2^-L)";
    }
    if (family.startsWith("res")) {
      return "power, c ~ 0.5 (L^-1/2)";
    }
    return "-";
  }

  private static DomContent correlationTable(List<GradientCurve> curves, List<ShatteredGradientsData.DepthSpread>
      spreads, List<Integer> depths, List<String> backends) {
    List<DomContent> header = new ArrayList<>();
    header.add(th("family").withClass("l"));
    header.add(th("backend").withClass("l"));
    depths.forEach(dp -> header.add(th("L=" + dp)));
    List<DomContent> rows = new ArrayList<>();
    for (String fam : families(curves)) {
      for (String b : backends) {
        List<DomContent> cells = new ArrayList<>();
        cells.add(td(fam).withClass("l"));
        cells.add(td(b).withClass("l"));
        List<ShatteredGradientsData.DepthSpread> ss = spreadsOf(curves, spreads, b, fam);
        for (int dp : depths) {
          ShatteredGradientsData.DepthSpread c = ss.stream().filter(x -> x.depth() == dp).findFirst().orElse(null);
          cells.add(td(c == null ? "-" : c.seeds() > 1 ? Fmt.fixed(c.mean(), 4) + " ± " + Fmt.fixed((c.upper()
              - c.lower()) / 2, 4) : Fmt.fixed(c.mean(), 4)));
        }
        rows.add(tr(cells.toArray(new DomContent[0])));
      }
    }
    return table(thead(tr(header.toArray(new DomContent[0]))), tbody(rows.toArray(new DomContent[0])));
  }

  /**
   * How far each backend's curves lie from the primary backend's, per family: the largest difference in
   * neighbour correlation over the depths, and the largest relative L2 difference of the raw per-point samples.
   */
  private static DomContent agreementTable(List<GradientCurve> curves, String primary, List<String> backends) {
    List<DomContent> rows = new ArrayList<>();
    for (String b : backends) {
      if (b.equals(primary)) {
        continue;
      }
      for (String fam : families(curves)) {
        double maxCorr = 0;
        double maxRel = 0;
        int worstDepth = -1;
        for (GradientCurve c : curves) {
          if (!c.backend().equals(b) || !c.family().equals(fam)) {
            continue;
          }
          GradientCurve ref = GradientCurve.find(curves, primary, fam, c.depth(), c.seed());
          if (ref == null) {
            continue;
          }
          maxCorr = Math.max(maxCorr, Math.abs(c.neighbourCorrelation() - ref.neighbourCorrelation()));
          double rel = relativeL2(c.gradients(), ref.gradients());
          if (rel > maxRel) {
            maxRel = rel;
            worstDepth = c.depth();
          }
        }
        rows.add(tr(td(b).withClass("l"), td(fam).withClass("l"), td(Fmt.num(maxCorr)), td(Fmt.num(maxRel)),
            td(worstDepth < 0 ? "-" : String.valueOf(worstDepth))));
      }
    }
    if (rows.isEmpty()) {
      return p("");
    }
    return div(p("Agreement with backend '" + primary + "': where a net's gradient is white noise (deep feedforward"
            + " nets with BatchNorm), float32 rounding changes its details, so the samples differ while their"
            + " statistics agree."),
        table(thead(tr(th("backend").withClass("l"), th("family").withClass("l"), th("max |corr difference|"),
            th("max relative L2 difference of samples"), th("at depth"))), tbody(rows.toArray(new DomContent[0]))));
  }

  static double relativeL2(double[] a, double[] ref) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < Math.min(a.length, ref.length); i++) {
      num += (a[i] - ref[i]) * (a[i] - ref[i]);
      den += ref[i] * ref[i];
    }
    return den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
  }

  private static DomContent activityTable(List<UnitActivity> activity) {
    return table(thead(tr(th("backend").withClass("l"), th("family").withClass("l"), th("depth"),
        th("always on"), th("always off"), th("last-layer variance"))),
        tbody(each(activity, a -> tr(td(a.backend()).withClass("l"), td(a.family()).withClass("l"),
            td(String.valueOf(a.depth())), td(Fmt.fixed(mean(a.alwaysOn()), 3)), td(Fmt.fixed(mean(a.alwaysOff()), 3)),
            td(a.variance().length == 0 ? "-" : Fmt.num(a.variance()[a.variance().length - 1]))))));
  }

  static List<String> families(List<GradientCurve> curves) {
    Set<String> f = new LinkedHashSet<>();
    curves.forEach(c -> f.add(c.family()));
    return List.copyOf(f);
  }

  /** Up to three depths: the smallest, one in the middle, the largest. */
  static List<Integer> shownDepths(List<Integer> depths) {
    if (depths.size() <= 3) {
      return depths;
    }
    return List.of(depths.get(0), depths.get(depths.size() / 2), depths.get(depths.size() - 1));
  }

  static double[] standardised(double[] v) {
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    double sd = Math.sqrt(s / v.length);
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = sd > 0 ? (v[i] - m) / sd : 0;
    }
    return out;
  }

  private static double mean(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double[] indices(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
    }
    return x;
  }
}
