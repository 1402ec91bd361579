package org.resbench.experiments.stochastic;

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

/** The {@code stochastic-depth} section: verdicts, errors beside the paper's, step times, curves, lesions. */
final class StochasticDepthSection implements ReportSection<StochasticDepthData> {

  @Override
  public DomContent render(RunRecord run, StochasticDepthData d, ReportContext ctx) {
    List<DomContent> parts = new ArrayList<>();
    String first = d.runs().isEmpty() ? "" : d.runs().get(0).backend();
    List<TrainedRun> shown = d.runs().stream().filter(r -> r.backend().equals(first)).toList();
    parts.add(p("Huang et al. 2016: ResNet-" + d.depth() + " trained with constant depth and with stochastic depth"
        + " (each block survives a step with probability p_l, decaying linearly to p_L = " + Fmt.num(d.survival())
        + "; expected " + Fmt.fixed(d.expectedDepth(), 2) + " of " + d.blocks() + " blocks per step) from the same"
        + " weights, batches and seeds. Data: " + d.dataset() + ". Charts show backend '" + first + "'."));
    parts.add(h3("Test error"));
    parts.add(table(thead(tr(th("net").withClass("l"), th("test error % (ours)"), th("final training error %"),
        th("test error % (Huang et al., ResNet-110, CIFAR-10)"))), tbody(
            row(d, StochasticDepthExperiment.CONSTANT, 6.41), row(d, StochasticDepthExperiment.STOCHASTIC, 5.25))));
    if (!d.timing().isEmpty()) {
      parts.add(h3("Training-step time"));
      parts.add(table(thead(tr(th("backend").withClass("l"), th("constant depth s/step"),
          th("stochastic depth s/step"), th("saved"), th("blocks run per step"))), tbody(each(d.timing(),
              t -> tr(td(t.backend()).withClass("l"), td(Fmt.num(t.constantSeconds())),
                  td(Fmt.num(t.stochasticSeconds())), td(Fmt.fixed(100 * t.saving(), 1) + "%"),
                  td(Fmt.fixed(t.meanActiveBlocks(), 2) + " (expected " + Fmt.fixed(d.expectedDepth(), 2) + " of "
                      + d.blocks() + ")"))))));
    }
    parts.add(div(ctx.figure(TrainingCharts.curves("ResNet-" + d.depth() + ": training loss, constant vs"
            + " stochastic depth", shown, TrainedRun::group, TrainingCharts.Curve.LOSS, true)),
        ctx.figure(TrainingCharts.curves("ResNet-" + d.depth() + ": validation error, constant vs stochastic depth",
            shown, TrainedRun::group, TrainingCharts.Curve.VALIDATION_ERROR, false))).withClass("charts"));
    if (!d.testTime().isEmpty()) {
      parts.add(h3("Test-time behaviour of the stochastic-depth net"));
      parts.add(table(thead(tr(th("run").withClass("l"), th("error %, gates p_l (default)"),
          th("error %, all blocks on"))), tbody(each(d.testTime(), t -> tr(td(t.cell()).withClass("l"),
              td(Fmt.fixed(t.survivalErrorPercent(), 2)), td(Fmt.fixed(t.allOnErrorPercent(), 2)))))));
    }
    if (!d.lesions().isEmpty()) {
      parts.add(h3("Lesions: one block deleted at test time"));
      parts.add(div(ctx.figure(lesionChart(d, shown))).withClass("charts"));
    }
    parts.add(details(summary("Every run (" + d.runs().size() + "): steps, errors, weights hash, checkpoint"),
        TrainingCharts.runTable(d.runs())));
    return div(parts.toArray(new DomContent[0]));
  }

  @Override
  public List<org.resbench.reports.Headline> headlines(RunRecord run, StochasticDepthData d) {
    List<org.resbench.reports.Headline> out = new ArrayList<>();
    for (String group : List.of(StochasticDepthExperiment.CONSTANT, StochasticDepthExperiment.STOCHASTIC)) {
      out.add(org.resbench.reports.Headline.info(group + " depth test error", TrainingCharts.meanPlusMinus(d.runs()
          .stream().filter(r -> r.group().equals(group) && r.testErrorPercent() != null)
          .mapToDouble(TrainedRun::testErrorPercent).toArray()) + " %"));
    }
    d.timing().forEach(t -> out.add(org.resbench.reports.Headline.info("step time saved (" + t.backend() + ")",
        Fmt.fixed(100 * t.saving(), 1) + "% (" + Fmt.fixed(t.meanActiveBlocks(), 2) + " of " + d.blocks()
            + " blocks ran)")));
    return out;
  }

  private static DomContent row(StochasticDepthData d, String group, double paper) {
    List<TrainedRun> rs = d.runs().stream().filter(r -> r.group().equals(group)).toList();
    return tr(td(group + " depth").withClass("l"), td(TrainingCharts.meanPlusMinus(rs.stream()
        .filter(r -> r.testErrorPercent() != null).mapToDouble(TrainedRun::testErrorPercent).toArray())),
        td(TrainingCharts.meanPlusMinus(rs.stream().mapToDouble(TrainedRun::finalTrainErrorPercent)
            .filter(Double::isFinite).toArray())),
        td(Fmt.fixed(paper, 2) + (d.paperComparable() ? "" : " (not comparable)")));
  }

  private static Chart lesionChart(StochasticDepthData d, List<TrainedRun> shown) {
    List<Chart.Series> series = new ArrayList<>();
    int colour = 0;
    for (String group : List.of(StochasticDepthExperiment.CONSTANT, StochasticDepthExperiment.STOCHASTIC)) {
      List<StochasticDepthData.Lesion> ls = d.lesions().stream().filter(l -> l.group().equals(group)
          && shown.stream().anyMatch(r -> r.cell().equals(l.cell()))).toList();
      if (ls.isEmpty()) {
        continue;
      }
      int n = ls.get(0).errorPercent().length;
      double[] x = new double[n];
      double[] mean = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = i;
        for (StochasticDepthData.Lesion l : ls) {
          mean[i] += l.errorPercent()[i] / ls.size();
        }
      }
      double whole = ls.stream().mapToDouble(StochasticDepthData.Lesion::wholeErrorPercent).average().orElse(0);
      series.add(new Chart.Series(group + " depth", x, mean, Chart.Style.LINE_AND_POINTS).withColour(colour));
      series.add(new Chart.Series(group + " depth, no block deleted", new double[] {0, n - 1},
          new double[] {whole, whole}, Chart.Style.DASHED).withColour(colour));
      colour++;
    }
    return new Chart("Test error with one block deleted, by block (mean over seeds; downsampling blocks are the"
        + " first of each stage after the first)", "deleted block", "test error %", false, false, series);
  }
}
