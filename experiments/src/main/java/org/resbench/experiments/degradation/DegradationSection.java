package org.resbench.experiments.degradation;

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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.resbench.experiments.degradation.DegradationData.LayerResponses;
import org.resbench.experiments.training.TrainedRun;
import org.resbench.experiments.training.TrainingCharts;
import org.resbench.reports.Chart;
import org.resbench.reports.Fmt;
import org.resbench.reports.Headline;
import org.resbench.reports.ReportContext;
import org.resbench.reports.ReportSection;
import org.resbench.results.RunRecord;

/**
 * The {@code degradation} section: the verdict first, then the final errors beside the paper's, He et al.'s
 * Fig. 6 (error curves per depth, one chart per family) and Fig. 7 (response spread per layer), every run folded.
 */
final class DegradationSection implements ReportSection<DegradationData> {

  /** He et al. 2016, Table 6: CIFAR-10 test error % of ResNets (option A, with augmentation). */
  static final Map<Integer, Double> PAPER_RESNET_TEST_ERROR = Map.of(20, 8.75, 32, 7.51, 44, 7.17, 56, 6.97,
      110, 6.43);

  @Override
  public DomContent render(RunRecord run, DegradationData d, ReportContext ctx) {
    List<DomContent> parts = new ArrayList<>();
    String first = d.runs().isEmpty() ? "" : d.runs().get(0).backend();
    List<TrainedRun> shown = d.runs().stream().filter(r -> r.backend().equals(first)).toList();
    parts.add(p("He et al. 2016: with identical training, deeper plain nets reach a higher training error than"
        + " shallower ones (the degradation problem, Fig. 6), while deeper ResNets do not; the 3x3 layers of ResNets"
        + " respond less than those of plain nets (Fig. 7). Data: " + d.dataset() + ". Charts show backend '" + first
        + "'; lines are means over seeds, bands their 95% Student-t intervals."));
    parts.add(h3("Final errors"));
    parts.add(finalTable(d));
    for (String family : d.families()) {
      List<TrainedRun> fam = shown.stream().filter(r -> r.group().startsWith(family + "-")).toList();
      parts.add(h3(family + " nets (Fig. 6)"));
      parts.add(div(ctx.figure(TrainingCharts.curves(family + ": training error between evaluations, by depth",
              fam, TrainedRun::group, TrainingCharts.Curve.TRAIN_ERROR, false)),
          ctx.figure(TrainingCharts.curves(family + ": validation error at each evaluation, by depth", fam,
              TrainedRun::group, TrainingCharts.Curve.VALIDATION_ERROR, false))).withClass("charts"));
    }
    if (!d.responses().isEmpty()) {
      parts.add(h3("Layer responses (Fig. 7)"));
      parts.add(p("Standard deviation of each 3x3 convolution's output after its BatchNorm (before the ReLU or the"
          + " addition), over test examples, for each trained net (mean over seeds, backend '" + first + "')."));
      parts.add(div(ctx.figure(responseChart(d, shown, false)), ctx.figure(responseChart(d, shown, true)))
          .withClass("charts"));
    }
    parts.add(details(summary("Every run (" + d.runs().size() + "): steps, errors, weights hash, checkpoint"),
        TrainingCharts.runTable(d.runs())));
    return div(parts.toArray(new DomContent[0]));
  }

  /** Per backend: the computed verdict (reproduced or not), then the test error of the deepest net per family. */
  @Override
  public List<Headline> headlines(RunRecord run, DegradationData d) {
    List<Headline> out = new ArrayList<>();
    for (DegradationData.Verdict v : d.verdicts()) {
      String shape = v.text().substring(v.text().lastIndexOf("; ") + 2);
      out.add(v.reproduced() ? Headline.verdict("degradation (" + v.backend() + ")", shape, true)
          : Headline.info("degradation (" + v.backend() + ")", shape));
    }
    if (!d.depths().isEmpty()) {
      int deepest = d.depths().get(d.depths().size() - 1);
      for (String family : d.families()) {
        double[] errors = d.runs().stream().filter(r -> r.group().equals(family + "-" + deepest)
            && r.testErrorPercent() != null).mapToDouble(TrainedRun::testErrorPercent).toArray();
        out.add(Headline.info(family + "-" + deepest + " test error", TrainingCharts.meanPlusMinus(errors) + " %"));
      }
    }
    return out;
  }

  private static DomContent finalTable(DegradationData d) {
    List<DomContent> rows = new ArrayList<>();
    for (String family : d.families()) {
      for (int depth : d.depths()) {
        String group = family + "-" + depth;
        List<TrainedRun> rs = d.runs().stream().filter(r -> r.group().equals(group)).toList();
        Double paper = family.equals("resnet") ? PAPER_RESNET_TEST_ERROR.get(depth) : null;
        rows.add(tr(td(family).withClass("l"), td(String.valueOf(depth)),
            td(TrainingCharts.meanPlusMinus(rs.stream().filter(r -> r.testErrorPercent() != null)
                .mapToDouble(TrainedRun::testErrorPercent).toArray())),
            td(TrainingCharts.meanPlusMinus(rs.stream().mapToDouble(TrainedRun::finalTrainErrorPercent)
                .filter(Double::isFinite).toArray())),
            td(paper == null ? "-" : Fmt.fixed(paper, 2) + (d.paperComparable() ? "" : " (not comparable)"))));
      }
    }
    return table(thead(tr(th("family").withClass("l"), th("depth"), th("test error % (ours)"),
        th("final training error %"), th("test error % (He et al. Table 6, CIFAR-10)"))), tbody(each(rows, r -> r)));
  }

  private static Chart responseChart(DegradationData d, List<TrainedRun> shown, boolean sorted) {
    List<Chart.Series> series = new ArrayList<>();
    int colour = 0;
    for (String family : d.families()) {
      for (int depth : d.depths()) {
        List<double[]> stds = d.responses().stream().filter(r -> r.family().equals(family) && r.depth() == depth
            && shown.stream().anyMatch(t -> t.cell().equals(r.cell()))).map(LayerResponses::std).toList();
        if (stds.isEmpty()) {
          continue;
        }
        int n = stds.get(0).length;
        double[] mean = new double[n];
        for (double[] s : stds) {
          for (int i = 0; i < n; i++) {
            mean[i] += s[i] / stds.size();
          }
        }
        if (sorted) {
          mean = Arrays.stream(mean).boxed().sorted((a, b) -> Double.compare(b, a)).mapToDouble(Double::doubleValue)
              .toArray();
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
          x[i] = i + 1;
        }
        series.add(new Chart.Series(family + "-" + depth, x, mean, family.equals("plain") ? Chart.Style.DASHED
            : Chart.Style.LINE).withColour(colour++));
      }
    }
    return new Chart(sorted ? "Std of 3x3 layer responses, sorted by magnitude (Fig. 7 bottom)"
        : "Std of 3x3 layer responses in layer order (Fig. 7 top)", sorted ? "layer (sorted by std)"
        : "layer index", "std of the response", false, false, series);
  }
}
