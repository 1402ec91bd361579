package org.resbench.experiments.stochastic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentContext;
import org.resbench.experiments.ExperimentResult;
import org.resbench.experiments.ImageData;
import org.resbench.experiments.lesion.Lesions;
import org.resbench.experiments.training.CellRunner;
import org.resbench.experiments.training.Cells;
import org.resbench.experiments.training.TrainedRun;
import org.resbench.experiments.training.TrainingCharts;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.Session;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.results.RunStatus;
import org.resbench.results.stats.Interval;
import org.resbench.results.stats.Samples;

/**
 * Huang et al. 2016: the same ResNet trained with constant depth and with stochastic depth (linear decay to p_L),
 * from the same initial weights, batches and seeds: curves, test error with intervals, the training-step time
 * each backend needs for both (a dropped block should cost almost nothing), expected against sampled depth,
 * test-time behaviour (survival-probability gates against all on) and single-block lesion robustness. Every net is
 * a checkpointed cell, so an interrupted run resumes. Stateless.
 */
public final class StochasticDepthExperiment implements Experiment<StochasticDepthConfig> {
  static final String CONSTANT = "constant";
  static final String STOCHASTIC = "stochastic";

  @Override
  public String name() {
    return "stochastic-depth";
  }

  @Override
  public String description() {
    return "Huang et al. 2016: constant vs stochastic depth from the same weights and batches: error with intervals,"
        + " step time saved by dropped blocks, expected vs sampled depth, test-time gates, lesion robustness";
  }

  @Override
  public Class<StochasticDepthConfig> configType() {
    return StochasticDepthConfig.class;
  }

  @Override
  public Set<Capability> requiredCapabilities() {
    return EnumSet.of(Capability.TRAINING);
  }

  @Override
  public ExperimentResult run(StochasticDepthConfig cfg, ExperimentContext ctx) {
    ImageData data = ctx.datasets().apply(cfg.data()).limited(cfg.evalExamples(), cfg.testExamples());
    boolean comparable = data.name().equals("cifar10") && !data.synthetic();
    ModelSpec constant = Cells.fitToData(cfg.constantSpec(), data);
    ModelSpec stochastic = Cells.fitToData(cfg.stochasticSpec(), data);
    List<CellRunner.Cell> cells = new ArrayList<>();
    for (long seed : cfg.seeds()) {
      for (Backend b : ctx.backends()) {
        cells.add(new CellRunner.Cell(CONSTANT + "-" + b.name() + "-s" + seed, CONSTANT, constant, b, seed, false,
            null));
        cells.add(new CellRunner.Cell(STOCHASTIC + "-" + b.name() + "-s" + seed, STOCHASTIC, stochastic, b, seed,
            false, null));
      }
    }
    StochasticDepthData before = (StochasticDepthData) ctx.run().previous().orElse(null);
    List<StochasticDepthData.TestTime> testTime = new ArrayList<>(before == null ? List.of() : before.testTime());
    List<StochasticDepthData.Lesion> lesions = new ArrayList<>(before == null ? List.of() : before.lesions());
    int blocks = stochastic.blocks().size();
    List<TrainedRun> runs = Cells.train(cells, data, cfg.training(), ctx, before == null ? List.of() : before.runs(),
        sofar -> new StochasticDepthData(data.summary(), comparable, cfg.depth(), cfg.survival(), blocks,
            stochastic.expectedActiveBlocks(), sofar, testTime, lesions, List.of(), List.of()), "stochastic-depth");
    Path folder = ctx.run().folder();
    for (int i = 0; i < runs.size(); i++) {
      TrainedRun r = runs.get(i);
      CellRunner.Cell c = cells.get(i);
      if (!TrainedRun.COMPLETED.equals(r.status())) {
        continue;
      }
      boolean measured = testTime.stream().anyMatch(t -> t.cell().equals(r.cell()))
          || lesions.stream().anyMatch(l -> l.cell().equals(r.cell()));
      if (measured) {
        continue;
      }
      try (Session s = Cells.openTrained(c, r, folder, ctx.options())) {
        if (c.group().equals(STOCHASTIC)) {
          testTime.add(new StochasticDepthData.TestTime(r.cell(), Lesions.error(s, data.test(),
              BlockGates.inference(c.spec())), Lesions.error(s, data.test(), BlockGates.ones(c.spec()))));
        }
        if (cfg.lesions()) {
          Lesions.SingleBlock l = Lesions.singleBlock(s, data.test());
          lesions.add(new StochasticDepthData.Lesion(r.cell(), c.group(), l.wholeErrorPercent(), l.errorPercent(),
              l.downsampling()));
        }
      }
    }
    List<StochasticDepthData.Timing> timing = new ArrayList<>();
    for (Backend b : ctx.backends()) {
      List<TrainedRun> mine = runs.stream().filter(r -> r.backend().equals(b.name())).toList();
      double cs = median(mine, CONSTANT);
      double ss = median(mine, STOCHASTIC);
      double active = mine.stream().filter(r -> r.group().equals(STOCHASTIC)).mapToDouble(TrainedRun::meanActiveBlocks)
          .average().orElse(Double.NaN);
      timing.add(new StochasticDepthData.Timing(b.name(), cs, ss, active));
    }
    List<String> verdicts = verdicts(cfg, stochastic, runs, testTime, lesions, timing);
    List<String> messages = new ArrayList<>(verdicts);
    if (!comparable) {
      messages.add(0, "data: " + data.name() + (data.synthetic() ? " (synthetic)" : "") + ", not CIFAR-10: the"
          + " paper's errors are shown for reference only");
    }
    boolean allCompleted = runs.stream().allMatch(r -> TrainedRun.COMPLETED.equals(r.status()));
    return new ExperimentResult(allCompleted ? RunStatus.PASSED : RunStatus.INCOMPLETE, new StochasticDepthData(
        data.summary(), comparable, cfg.depth(), cfg.survival(), blocks, stochastic.expectedActiveBlocks(), runs,
        testTime, lesions, timing, verdicts), messages);
  }

  private static double median(List<TrainedRun> runs, String group) {
    double[] s = runs.stream().filter(r -> r.group().equals(group)).mapToDouble(TrainedRun::medianStepSeconds)
        .filter(Double::isFinite).toArray();
    return s.length == 0 ? Double.NaN : new Samples(s).median();
  }

  /** The computed statements: errors with intervals, time saved, depth expected and sampled, robustness. */
  static List<String> verdicts(StochasticDepthConfig cfg, ModelSpec stochastic, List<TrainedRun> runs,
      List<StochasticDepthData.TestTime> testTime, List<StochasticDepthData.Lesion> lesions,
      List<StochasticDepthData.Timing> timing) {
    List<String> out = new ArrayList<>();
    double[] ce = errors(runs, CONSTANT);
    double[] se = errors(runs, STOCHASTIC);
    if (ce.length > 0 && se.length > 0) {
      Interval a = Interval.ofMean(ce, 0.95);
      Interval b = Interval.ofMean(se, 0.95);
      String how = a.n() > 1 && b.n() > 1 ? (a.separatedFrom(b) ? "the intervals are disjoint" : "the intervals"
          + " overlap: no difference at this scale") : "one run each: no interval";
      out.add(String.format(Locale.ROOT, "test error: constant depth %s%%, stochastic depth %s%% (%s; the paper,"
          + " ResNet-110 on CIFAR-10: 6.41%% vs 5.25%%)", TrainingCharts.meanPlusMinus(ce),
          TrainingCharts.meanPlusMinus(se), how));
    }
    for (StochasticDepthData.Timing t : timing) {
      out.add(String.format(Locale.ROOT, "%s: %.4f s per step with constant depth, %.4f s with stochastic depth:"
          + " %.1f%% saved (%.2f of %d blocks ran on average; expected %.2f; the paper: about 25%% shorter training"
          + " for ResNet-110, p_L = 0.5)", t.backend(), t.constantSeconds(), t.stochasticSeconds(), 100 * t.saving(),
          t.meanActiveBlocks(), stochastic.blocks().size(), stochastic.expectedActiveBlocks()));
    }
    if (!testTime.isEmpty()) {
      double surv = testTime.stream().mapToDouble(StochasticDepthData.TestTime::survivalErrorPercent).average()
          .orElse(Double.NaN);
      double on = testTime.stream().mapToDouble(StochasticDepthData.TestTime::allOnErrorPercent).average()
          .orElse(Double.NaN);
      out.add(String.format(Locale.ROOT, "stochastic-depth net at test time: %.2f%% error with gates p_l (Huang et"
          + " al. Eq. 6), %.2f%% with every block fully on", surv, on));
    }
    if (!lesions.isEmpty()) {
      double c = meanIncrease(lesions, CONSTANT);
      double s = meanIncrease(lesions, STOCHASTIC);
      out.add(String.format(Locale.ROOT, "deleting one block raises the error by %.2f points on average for the"
          + " constant-depth net and by %.2f for the stochastic-depth net (%s; the paper: stochastic-depth nets are"
          + " more robust)", c, s, s < c ? "more robust" : "not more robust"));
    }
    return out;
  }

  private static double[] errors(List<TrainedRun> runs, String group) {
    return runs.stream().filter(r -> r.group().equals(group) && r.testErrorPercent() != null)
        .mapToDouble(TrainedRun::testErrorPercent).toArray();
  }

  private static double meanIncrease(List<StochasticDepthData.Lesion> lesions, String group) {
    return lesions.stream().filter(l -> l.group().equals(group)).mapToDouble(l -> {
      double s = 0;
      for (double e : l.errorPercent()) {
        s += e - l.wholeErrorPercent();
      }
      return s / l.errorPercent().length;
    }).average().orElse(Double.NaN);
  }
}
