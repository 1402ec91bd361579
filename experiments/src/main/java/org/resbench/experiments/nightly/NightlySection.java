package org.resbench.experiments.nightly;

import static j2html.TagCreator.a;
import static j2html.TagCreator.details;
import static j2html.TagCreator.div;
import static j2html.TagCreator.each;
import static j2html.TagCreator.h3;
import static j2html.TagCreator.li;
import static j2html.TagCreator.ol;
import static j2html.TagCreator.p;
import static j2html.TagCreator.summary;
import static j2html.TagCreator.table;
import static j2html.TagCreator.tbody;
import static j2html.TagCreator.td;
import static j2html.TagCreator.th;
import static j2html.TagCreator.thead;
import static j2html.TagCreator.tr;

import j2html.tags.DomContent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.resbench.reports.Chart;
import org.resbench.reports.Fmt;
import org.resbench.reports.ReportContext;
import org.resbench.reports.ReportSection;
import org.resbench.results.RunRecord;
import org.resbench.results.compare.Outcome;
import org.resbench.results.compare.Verdict;

/**
 * A night's section: the verdict table first (metric, baseline, now, change with its interval, verdict and why),
 * regressions at the top; the suite's items linked to their runs; then one trend chart per metric over the last
 * nights with the baseline's band.
 */
final class NightlySection implements ReportSection<NightlyData> {

  /**
   * The summary table's cells: the verdict counts against the baseline (a verdict, failed when anything regressed)
   * and each regressed metric with its change.
   */
  @Override
  public List<org.resbench.reports.Headline> headlines(RunRecord run, NightlyData d) {
    Map<Verdict, Long> counts = d.counts();
    List<org.resbench.reports.Headline> out = new ArrayList<>();
    out.add(org.resbench.reports.Headline.verdict("against " + (d.baseline().runId() == null ? "no baseline"
        : "baseline " + d.baseline().runId()), String.format(Locale.ROOT, "%d metrics: %d regression(s), %d"
        + " improvement(s), %d unchanged, %d inconclusive", d.metrics().size(), counts.get(Verdict.REGRESSION),
        counts.get(Verdict.IMPROVEMENT), counts.get(Verdict.UNCHANGED), counts.get(Verdict.INCONCLUSIVE)),
        counts.get(Verdict.REGRESSION) == 0));
    d.metrics().stream().filter(m -> m.verdict() == Verdict.REGRESSION).forEach(m -> out.add(
        org.resbench.reports.Headline.verdict(m.key(), change(m), false)));
    return out;
  }

  @Override
  public DomContent render(RunRecord run, NightlyData d, ReportContext context) {
    List<DomContent> parts = new ArrayList<>();
    Map<Verdict, Long> counts = d.counts();
    NightlyData.Baseline b = d.baseline();
    parts.add(p(String.format(Locale.ROOT, "Suite %s: %d metrics, %d regression(s), %d improvement(s), %d unchanged,"
        + " %d inconclusive.", d.suite(), d.metrics().size(), counts.get(Verdict.REGRESSION),
        counts.get(Verdict.IMPROVEMENT), counts.get(Verdict.UNCHANGED), counts.get(Verdict.INCONCLUSIVE))));
    parts.add(p("Baseline (" + b.mode() + "): " + (b.runId() == null ? b.why() : b.runId() + " of " + b.start()
        + ", " + b.why()) + ". Timings are compared on raw samples by a Mann-Whitney U test with a "
        + pct(d.timingThreshold()) + " threshold on the shift of the median (95% bootstrap interval of the ratio of"
        + " medians); the threshold comes from " + d.thresholdSource() + ". Numeric figures are compared with their"
        + " stated tolerances."));
    parts.add(h3("Verdicts"));
    List<NightlyData.Metric> ordered = new ArrayList<>(d.metrics());
    ordered.sort(Comparator.comparingInt(m -> order(m.verdict())));
    parts.add(table(thead(tr(th("metric").withClass("l"), th("baseline"), th("now"), th("change (95% CI)"), th("p"),
        th("verdict").withClass("l"), th("why").withClass("l"))),
        tbody(each(ordered, m -> tr(td(a(m.key()).withHref("#trend-" + slug(run, m.key()))).withClass("l")
            .withTitle(m.label()), td(value(m, m.outcome().baseline())), td(value(m, m.value())), td(change(m)),
            td(Double.isNaN(m.outcome().pValue()) ? "" : Fmt.num(m.outcome().pValue())),
            td(m.verdict().label()).withClass("l " + css(m.verdict())), td(m.outcome().reason()).withClass("l"))))));
    parts.add(h3("Items"));
    parts.add(table(thead(tr(th("item").withClass("l"), th("run").withClass("l"), th("status").withClass("l"),
        th("note").withClass("l"))),
        tbody(each(d.items(), it -> tr(td(it.name()).withClass("l"), (it.runId() == null
            ? td("(samples in this record)") : td(a(it.runId()).withHref("#run-" + it.runId()))).withClass("l"),
            td(it.status()).withClass("l status " + it.status()), td(it.note()).withClass("l"))))));
    parts.add(h3("Trends"));
    NightlyData.Trend longest = d.trends().stream().max(Comparator.comparingInt(t -> t.nights().size())).orElse(null);
    if (longest != null) {
      parts.add(details(summary("Nights in the charts (x = 1 is the oldest; the last is this night)"),
          ol(each(longest.nights(), n -> li(n.runId() + " (" + n.start() + ")")))));
    }
    List<DomContent> charts = new ArrayList<>();
    for (NightlyData.Trend t : d.trends()) {
      NightlyData.Metric m = d.metric(t.key());
      if (m == null || t.nights().isEmpty()) {
        continue;
      }
      charts.add(div(context.figure(trendChart(m, t))).withId("trend-" + slug(run, t.key())));
    }
    parts.add(div(charts.toArray(new DomContent[0])).withClass("charts"));
    return div(parts.toArray(new DomContent[0]));
  }

  private static Chart trendChart(NightlyData.Metric m, NightlyData.Trend t) {
    boolean timing = m.kind().equals("timing");
    double scale = timing ? 1e3 : 1;
    int n = t.nights().size();
    double[] x = new double[n];
    double[] y = new double[n];
    double[] lo = new double[n];
    double[] hi = new double[n];
    for (int i = 0; i < n; i++) {
      NightlyData.Night night = t.nights().get(i);
      x[i] = i + 1;
      y[i] = night.value() * scale;
      lo[i] = night.lower() * scale;
      hi[i] = night.upper() * scale;
    }
    List<Chart.Series> series = new ArrayList<>();
    series.add(new Chart.Series(timing ? "median" : "value", x, y, Chart.Style.LINE_AND_POINTS, 0));
    if (timing) {
      series.add(new Chart.Series("10th percentile", x, lo, Chart.Style.POINTS, 5));
      series.add(new Chart.Series("90th percentile", x, hi, Chart.Style.POINTS, 5));
    }
    if (!Double.isNaN(m.bandLower())) {
      double[] bx = {0.8, n + 0.2};
      series.add(new Chart.Series("baseline band (unchanged inside)", bx, new double[] {m.bandLower() * scale,
          m.bandLower() * scale}, Chart.Style.DASHED, 1));
      series.add(new Chart.Series("baseline band, upper edge", bx, new double[] {m.bandUpper() * scale,
          m.bandUpper() * scale}, Chart.Style.DASHED, 1));
    }
    return new Chart(m.key() + ": " + m.label() + ", the last " + n + " night" + (n == 1 ? "" : "s") + " (this one"
        + " last); verdict " + m.verdict().label(), "night", timing ? "ms" : m.unit(), false, false, series);
  }

  private static String value(NightlyData.Metric m, double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return m.kind().equals("timing") ? Fmt.num(v * 1e3) + " ms" : Fmt.num(v);
  }

  private static String change(NightlyData.Metric m) {
    Outcome o = m.outcome();
    if (Double.isNaN(o.change())) {
      return "-";
    }
    if (m.kind().equals("timing")) {
      String c = String.format(Locale.ROOT, "%+.1f%%", 100 * o.change());
      return Double.isNaN(o.changeLower()) ? c : c + String.format(Locale.ROOT, " (%+.1f%% .. %+.1f%%)",
          100 * o.changeLower(), 100 * o.changeUpper());
    }
    return (o.change() >= 0 ? "+" : "") + Fmt.num(o.change());
  }

  private static int order(Verdict v) {
    return switch (v) {
      case REGRESSION -> 0;
      case INCONCLUSIVE -> 1;
      case IMPROVEMENT -> 2;
      case UNCHANGED -> 3;
    };
  }

  private static String css(Verdict v) {
    return switch (v) {
      case REGRESSION -> "fail";
      case IMPROVEMENT, UNCHANGED -> "pass";
      case INCONCLUSIVE -> "";
    };
  }

  /** A page-unique anchor for a metric of this run (a report may hold several nights). */
  static String slug(RunRecord run, String key) {
    return (run.id() + "-" + key).replaceAll("[^A-Za-z0-9]+", "-");
  }

  private static String pct(double f) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * f);
  }
}
