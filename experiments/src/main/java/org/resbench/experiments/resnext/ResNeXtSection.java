package org.resbench.experiments.resnext;

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
import java.util.ArrayList;
import java.util.List;
import org.resbench.experiments.training.TrainedRun;
import org.resbench.experiments.training.TrainingCharts;
import org.resbench.reports.Chart;
import org.resbench.reports.Fmt;
import org.resbench.reports.ReportContext;
import org.resbench.reports.ReportSection;
import org.resbench.results.RunRecord;
import org.resbench.results.stats.Interval;

/** The {@code resnext} section: verdicts, the (C, d) designs, error and speed against C, curves, every run. */
final class ResNeXtSection implements ReportSection<ResNeXtData> {

  @Override
  public DomContent render(RunRecord run, ResNeXtData d, ReportContext ctx) {
    List<DomContent> parts = new ArrayList<>();
    String first = d.runs().isEmpty() ? "" : d.runs().get(0).backend();
    List<TrainedRun> shown = d.runs().stream().filter(r -> r.backend().equals(first)).toList();
    parts.add(p("Xie et al. 2017: at equal complexity, more groups (cardinality C) of narrower bottlenecks (width d)"
        + " beat fewer, wider ones (CIFAR-10, ResNeXt-29: 8x64d 3.65%, 16x64d 3.58%; ImageNet: error falls as C rises"
        + " at equal complexity). Widths derived from the cost model to keep the " + d.match() + " of every net within"
        + " the tolerance of the C=1 net's. Data: " + d.dataset() + "."));
    parts.add(h3("Designs and results"));
    parts.add(table(thead(tr(th("C"), th("d"), th("spec").withClass("l"), th("params"), th("MACs / example"),
        th("vs C=1"), th("test error %"), th("train img/s by backend").withClass("l"))), tbody(each(d.designs(),
            x -> tr(td(String.valueOf(x.cardinality())), td(String.valueOf(x.width())), td(x.spec()).withClass("l"),
                td(String.format(java.util.Locale.ROOT, "%,d", x.params())),
                td(String.format(java.util.Locale.ROOT, "%,d", x.macs())),
                td(Fmt.fixed(100 * x.deviation(), 1) + "%"), td(TrainingCharts.meanPlusMinus(errors(d.runs(),
                    x.cardinality()))), td(speeds(d.runs(), x.cardinality())).withClass("l"))))));
    parts.add(p("The paper's CIFAR-10 numbers (ResNeXt-29, 300 epochs): 8x64d 3.65%, 16x64d 3.58%"
        + (d.paperComparable() ? "." : " (not comparable with these runs).")));
    parts.add(div(ctx.figure(errorChart(d, shown)), ctx.figure(TrainingCharts.curves("Validation error by"
        + " cardinality", shown, TrainedRun::group, TrainingCharts.Curve.VALIDATION_ERROR, false)))
            .withClass("charts"));
    parts.add(details(summary("Every run (" + d.runs().size() + "): steps, errors, weights hash, checkpoint"),
        TrainingCharts.runTable(d.runs())));
    return div(parts.toArray(new DomContent[0]));
  }

  @Override
  public List<org.resbench.reports.Headline> headlines(RunRecord run, ResNeXtData d) {
    List<org.resbench.reports.Headline> out = new ArrayList<>();
    for (ResNeXtData.Design x : d.designs()) {
      out.add(org.resbench.reports.Headline.info("C=" + x.cardinality() + " (" + x.cardinality() + "x" + x.width()
          + "d) test error", TrainingCharts.meanPlusMinus(errors(d.runs(), x.cardinality())) + " %"));
    }
    d.verdicts().forEach(v -> out.add(org.resbench.reports.Headline.info("paper's claim", v.substring(
        v.lastIndexOf(" is ") + 4))));
    return out;
  }

  private static double[] errors(List<TrainedRun> runs, int c) {
    return runs.stream().filter(r -> r.group().equals("C=" + c) && r.testErrorPercent() != null)
        .mapToDouble(TrainedRun::testErrorPercent).toArray();
  }

  private static String speeds(List<TrainedRun> runs, int c) {
    return String.join(", ", TrainingCharts.groups(runs.stream().filter(r -> r.group().equals("C=" + c)).toList(),
        TrainedRun::backend).entrySet().stream().map(e -> e.getKey() + " " + Fmt.num(e.getValue().stream()
            .mapToDouble(TrainedRun::imagesPerSecond).average().orElse(Double.NaN))).toList());
  }

  private static Chart errorChart(ResNeXtData d, List<TrainedRun> shown) {
    double[] x = d.designs().stream().mapToDouble(ResNeXtData.Design::cardinality).toArray();
    double[] mean = new double[x.length];
    double[] lo = new double[x.length];
    double[] hi = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double[] e = errors(shown, (int) x[i]);
      Interval ci = e.length == 0 ? null : Interval.ofMean(e, 0.95);
      mean[i] = ci == null ? Double.NaN : ci.mean();
      lo[i] = ci == null ? Double.NaN : ci.lower();
      hi[i] = ci == null ? Double.NaN : ci.upper();
    }
    return new Chart("Test error against cardinality at equal complexity (mean over seeds, 95% band)",
        "cardinality C", "test error %", true, false, List.of(new Chart.Series("test error", x, mean,
            Chart.Style.LINE_AND_POINTS)), List.of(new Chart.Band("95% interval", x, lo, hi, 0)));
  }
}
