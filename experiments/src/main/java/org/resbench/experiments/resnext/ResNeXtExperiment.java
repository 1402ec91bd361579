package org.resbench.experiments.resnext;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentContext;
import org.resbench.experiments.ExperimentResult;
import org.resbench.experiments.ImageData;
import org.resbench.experiments.training.CellRunner;
import org.resbench.experiments.training.Cells;
import org.resbench.experiments.training.TrainedRun;
import org.resbench.experiments.training.TrainingCharts;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.results.RunStatus;
import org.resbench.results.stats.Interval;
import org.resbench.results.stats.Trend;

/**
 * Xie et al. 2017: ResNeXt nets of several cardinalities C at (nearly) equal complexity (each width d derived
 * from the cost model so the parameters or multiply-accumulates stay within a tolerance of the C = 1 net), trained
 * with identical data and seeds: test error against C with intervals, a computed verdict on the paper's claim (error
 * falls as C rises), and training images per second per C (grouped convolutions are slow on many CPU engines).
 * Every net is a checkpointed cell, so an interrupted run resumes. Stateless.
 */
public final class ResNeXtExperiment implements Experiment<ResNeXtConfig> {
  @Override
  public String name() {
    return "resnext";
  }

  @Override
  public String description() {
    return "Xie et al. 2017: cardinality vs width at equal complexity (widths from the cost model), test error"
        + " against C with intervals and a computed verdict, images/s per C";
  }

  @Override
  public Class<ResNeXtConfig> configType() {
    return ResNeXtConfig.class;
  }

  @Override
  public Set<Capability> requiredCapabilities() {
    return EnumSet.of(Capability.TRAINING);
  }

  @Override
  public ExperimentResult run(ResNeXtConfig cfg, ExperimentContext ctx) {
    ImageData data = ctx.datasets().apply(cfg.data()).limited(cfg.evalExamples(), cfg.testExamples());
    boolean comparable = data.name().equals("cifar10") && !data.synthetic();
    List<ResNeXtData.Design> designs = designs(cfg, data);
    List<CellRunner.Cell> cells = new ArrayList<>();
    for (long seed : cfg.seeds()) {
      for (Backend b : ctx.backends()) {
        for (ResNeXtData.Design d : designs) {
          String group = "C=" + d.cardinality();
          cells.add(new CellRunner.Cell("c" + d.cardinality() + "x" + d.width() + "d-" + b.name() + "-s" + seed, group,
              org.resbench.harness.spec.SpecNames.build(d.spec()), b, seed, false, null));
        }
      }
    }
    ResNeXtData before = (ResNeXtData) ctx.run().previous().orElse(null);
    List<TrainedRun> runs = Cells.train(cells, data, cfg.training(), ctx, before == null ? List.of() : before.runs(),
        sofar -> new ResNeXtData(data.summary(), comparable, cfg.match(), designs, sofar, List.of()), "resnext");
    List<String> verdicts = new ArrayList<>();
    for (Backend b : ctx.backends()) {
      verdicts.add(verdict(b.name(), designs, runs.stream().filter(r -> r.backend().equals(b.name())).toList()));
    }
    List<String> messages = new ArrayList<>();
    messages.add(designs.stream().map(d -> String.format(Locale.ROOT, "C=%d d=%d: %,d params, %,d MACs (%+.1f%%)",
        d.cardinality(), d.width(), d.params(), d.macs(), 100 * d.deviation())).reduce((a, c) -> a + "; " + c)
        .orElse(""));
    messages.addAll(verdicts);
    if (!comparable) {
      messages.add("data: " + data.name() + (data.synthetic() ? " (synthetic)" : "") + ", not CIFAR-10: the paper's"
          + " errors are shown for reference only");
    }
    boolean allCompleted = runs.stream().allMatch(r -> TrainedRun.COMPLETED.equals(r.status()));
    return new ExperimentResult(allCompleted ? RunStatus.PASSED : RunStatus.INCOMPLETE, new ResNeXtData(
        data.summary(), comparable, cfg.match(), designs, runs, verdicts), messages);
  }

  /**
   * The (C, d) pairs: the reference C = 1 at {@code referenceWidth}, and for every other C the width whose net is
   * closest in complexity, which must lie within the tolerance (else bad input naming the best width found).
   */
  static List<ResNeXtData.Design> designs(ResNeXtConfig cfg, ImageData data) {
    ModelSpec ref = spec(cfg, 1, cfg.referenceWidth(), data);
    double target = complexity(cfg, ref);
    List<ResNeXtData.Design> out = new ArrayList<>();
    for (int c : cfg.cardinalities()) {
      int best = -1;
      double bestDev = Double.POSITIVE_INFINITY;
      ModelSpec bestSpec = null;
      for (int d = 1; d <= Math.max(4, 2 * cfg.referenceWidth()); d++) {
        ModelSpec s = c == 1 ? ref : spec(cfg, c, d, data);
        double dev = complexity(cfg, s) / target - 1;
        if (Math.abs(dev) < Math.abs(bestDev)) {
          best = c == 1 ? cfg.referenceWidth() : d;
          bestDev = dev;
          bestSpec = s;
        }
        if (c == 1) {
          break;
        }
      }
      if (Math.abs(bestDev) > cfg.tolerance()) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "cardinality %d: no width d keeps the %s within"
            + " %.1f%% of the C=1 net's (best: d=%d, %+.1f%%); allowed: a larger tolerance, another referenceWidth,"
            + " or other cardinalities", c, cfg.match(), 100 * cfg.tolerance(), best, 100 * bestDev));
      }
      out.add(new ResNeXtData.Design(c, best, bestSpec.name(), bestSpec.parameterCount(), bestSpec.macs(), bestDev));
    }
    return out;
  }

  private static ModelSpec spec(ResNeXtConfig cfg, int c, int d, ImageData data) {
    return Cells.fitToData("resnext-" + cfg.depth() + "-" + c + "x" + d + "d", data);
  }

  private static double complexity(ResNeXtConfig cfg, ModelSpec s) {
    return cfg.match().equals("params") ? s.parameterCount() : s.macs();
  }

  /** Does the test error fall as the cardinality rises (Spearman over every run), beyond the 95% intervals? */
  static String verdict(String backend, List<ResNeXtData.Design> designs, List<TrainedRun> runs) {
    List<Double> cs = new ArrayList<>();
    List<Double> errs = new ArrayList<>();
    for (TrainedRun r : runs) {
      if (r.testErrorPercent() != null) {
        cs.add(Double.parseDouble(r.group().substring(2)));
        errs.add(r.testErrorPercent());
      }
    }
    if (errs.size() < 2) {
      return backend + ": too few finished runs for a verdict";
    }
    double rho = Trend.spearman(cs.stream().mapToDouble(Double::doubleValue).toArray(),
        errs.stream().mapToDouble(Double::doubleValue).toArray());
    int lo = designs.get(0).cardinality();
    int hi = designs.get(designs.size() - 1).cardinality();
    Interval a = Interval.ofMean(group(runs, lo), 0.95);
    Interval b = Interval.ofMean(group(runs, hi), 0.95);
    boolean falls = b.mean() < a.mean();
    String sep = a.n() > 1 && b.n() > 1 ? (a.separatedFrom(b) ? "beyond" : "within") + " the 95% intervals"
        : "one run each: no interval";
    return String.format(Locale.ROOT, "%s: test error %s from C=%d (%s%%) to C=%d (%s%%), %s, Spearman %.2f: the"
        + " paper's claim (error falls as cardinality rises at equal complexity) is %s", backend, falls ? "falls"
        : "does not fall", lo, TrainingCharts.meanPlusMinus(group(runs, lo)), hi,
        TrainingCharts.meanPlusMinus(group(runs, hi)), sep, rho, falls && a.separatedFrom(b) ? "supported"
        : falls ? "suggested but not established at this scale" : "not supported at this scale");
  }

  private static double[] group(List<TrainedRun> runs, int c) {
    return runs.stream().filter(r -> r.group().equals("C=" + c) && r.testErrorPercent() != null)
        .mapToDouble(TrainedRun::testErrorPercent).toArray();
  }
}
