package org.resbench.experiments.train;

import static j2html.TagCreator.details;
import static j2html.TagCreator.div;
import static j2html.TagCreator.h3;
import static j2html.TagCreator.p;
import static j2html.TagCreator.summary;

import j2html.tags.DomContent;
import java.util.List;
import org.resbench.experiments.training.TrainedRun;
import org.resbench.experiments.training.TrainingCharts;
import org.resbench.reports.Headline;
import org.resbench.reports.ReportContext;
import org.resbench.reports.ReportSection;
import org.resbench.results.RunRecord;

/** The {@code train} section: curves per backend (bands over seeds), final numbers, every run folded. */
final class TrainSection implements ReportSection<TrainData> {
  @Override
  public DomContent render(RunRecord run, TrainData d, ReportContext ctx) {
    List<TrainedRun> runs = d.runs();
    long backends = runs.stream().map(TrainedRun::backend).distinct().count();
    long seeds = runs.stream().map(TrainedRun::seed).distinct().count();
    boolean sameHashes = runs.stream().filter(r -> r.weightsHash() != null).map(TrainedRun::weightsHash).distinct()
        .count() == 1 && runs.size() > 1;
    return div(
        p(d.spec() + " on " + d.dataset() + ": " + backends + " backend" + (backends == 1 ? "" : "s") + " x " + seeds
            + " seed" + (seeds == 1 ? "" : "s") + ", identical initial weights, batches, augmentation and gates per"
            + " seed." + (seeds > 1 ? " Lines are means over seeds; bands their 95% Student-t intervals." : "")
            + (sameHashes ? " Every run ended with the same weights (equal hashes)." : "")),
        TrainingCharts.finalTable(runs, TrainedRun::backend, "backend"),
        div(ctx.figure(TrainingCharts.curves(d.spec() + ": training loss per step, by backend", runs,
                TrainedRun::backend, TrainingCharts.Curve.LOSS, true)),
            ctx.figure(TrainingCharts.curves(d.spec() + ": validation error at each evaluation, by backend", runs,
                TrainedRun::backend, TrainingCharts.Curve.VALIDATION_ERROR, false)),
            ctx.figure(TrainingCharts.curves(d.spec() + ": training error between evaluations, by backend", runs,
                TrainedRun::backend, TrainingCharts.Curve.TRAIN_ERROR, false))).withClass("charts"),
        details(summary("Every run (" + runs.size() + "): steps, test error, weights hash, checkpoint"),
            h3("Runs"), TrainingCharts.runTable(runs)));
  }

  /** Per backend: test error over seeds and how the runs ended; whether every run ended with the same weights. */
  @Override
  public List<Headline> headlines(RunRecord run, TrainData d) {
    return TrainingCharts.headlines(d.runs(), TrainedRun::backend);
  }
}
