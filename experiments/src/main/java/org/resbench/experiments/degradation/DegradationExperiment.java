package org.resbench.experiments.degradation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentContext;
import org.resbench.experiments.ExperimentResult;
import org.resbench.experiments.ImageData;
import org.resbench.experiments.degradation.DegradationData.FamilyTrend;
import org.resbench.experiments.degradation.DegradationData.LayerResponses;
import org.resbench.experiments.degradation.DegradationData.Verdict;
import org.resbench.experiments.training.CellRunner;
import org.resbench.experiments.training.Cells;
import org.resbench.experiments.training.TrainedRun;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.Session;
import org.resbench.harness.data.Batch;
import org.resbench.harness.data.BatchSampler;
import org.resbench.harness.spec.BatchNorm;
import org.resbench.harness.spec.Block;
import org.resbench.harness.spec.Conv2d;
import org.resbench.harness.spec.Layer;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.tensor.HostTensor;
import org.resbench.results.RunStatus;
import org.resbench.results.stats.Interval;
import org.resbench.results.stats.Moments;
import org.resbench.results.stats.Trend;

/**
 * He et al. 2016, Fig. 6 and 7: plain nets and ResNets (option A) of several depths trained identically; training
 * and test error per depth, the spread of every 3x3 layer's response, and a computed verdict on the degradation
 * problem (deeper plain nets train worse, deeper ResNets do not). Every cell has checkpoints, so an interrupted run
 * resumes; the layer responses are measured on each net's final checkpoint. Stateless.
 */
public final class DegradationExperiment implements Experiment<DegradationConfig> {
  @Override
  public String name() {
    return "degradation";
  }

  @Override
  public String description() {
    return "He et al. 2016 Fig. 6/7: plain vs ResNet at several depths trained identically; error curves with bands"
        + " over seeds, 3x3 layer response spread, and a computed degradation verdict";
  }

  @Override
  public Class<DegradationConfig> configType() {
    return DegradationConfig.class;
  }

  @Override
  public Set<Capability> requiredCapabilities() {
    return EnumSet.of(Capability.TRAINING, Capability.ACTIVATIONS);
  }

  @Override
  public ExperimentResult run(DegradationConfig cfg, ExperimentContext ctx) {
    ImageData data = ctx.datasets().apply(cfg.data()).limited(cfg.evalExamples(), cfg.testExamples());
    boolean comparable = data.name().equals("cifar10") && !data.synthetic();
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    List<CellRunner.Cell> cells = new ArrayList<>();
    for (long seed : cfg.seeds()) {
      for (Backend b : ctx.backends()) {
        for (String family : cfg.families()) {
          for (int depth : cfg.depths()) {
            String group = family + "-" + depth;
            ModelSpec spec = specs.computeIfAbsent(group, g -> Cells.fitToData(g, data));
            cells.add(new CellRunner.Cell(group + "-" + b.name() + "-s" + seed, group, spec, b, seed,
                cfg.warmupFromDepth() > 0 && depth >= cfg.warmupFromDepth(), null));
          }
        }
      }
    }
    DegradationData before = (DegradationData) ctx.run().previous().orElse(null);
    List<LayerResponses> responses = new ArrayList<>(before == null ? List.of() : before.responses());
    List<TrainedRun> runs = Cells.train(cells, data, cfg.training(), ctx, before == null ? List.of() : before.runs(),
        sofar -> new DegradationData(data.summary(), comparable, cfg.families(), cfg.depths(), sofar, responses,
            List.of()), "degradation");
    Path folder = ctx.run().folder();
    for (int i = 0; i < runs.size(); i++) {
      TrainedRun r = runs.get(i);
      CellRunner.Cell c = cells.get(i);
      if (r.checkpoint() == null || responses.stream().anyMatch(x -> x.cell().equals(r.cell()))) {
        continue;
      }
      responses.add(measure(c, r, folder, data, cfg.responseExamples(), ctx));
    }
    List<Verdict> verdicts = new ArrayList<>();
    for (Backend b : ctx.backends()) {
      verdicts.add(verdict(b.name(), cfg, runs.stream().filter(r -> r.backend().equals(b.name())).toList()));
    }
    List<String> messages = new ArrayList<>();
    if (!comparable) {
      messages.add("data: " + data.name() + (data.synthetic() ? " (synthetic)" : "") + ", not CIFAR-10: the paper's"
          + " numbers are shown for reference only and are not comparable");
    }
    verdicts.forEach(v -> messages.add(v.text()));
    boolean allCompleted = runs.stream().allMatch(r -> TrainedRun.COMPLETED.equals(r.status()));
    return new ExperimentResult(allCompleted ? RunStatus.PASSED : RunStatus.INCOMPLETE, new DegradationData(
        data.summary(), comparable, cfg.families(), cfg.depths(), runs, responses, verdicts), messages);
  }

  /**
   * The probe points of every 3x3 convolution's BatchNorm output (He et al.'s "responses": after BN, before the
   * ReLU or the addition), in layer order.
   */
  static List<String> responseProbes(ModelSpec spec) {
    List<String> out = new ArrayList<>();
    collect(spec.stem(), "stem/", out);
    for (Block b : spec.blocks()) {
      collect(b.branch(), b.name() + "/branch/", out);
    }
    return out;
  }

  private static void collect(List<Layer> layers, String prefix, List<String> out) {
    for (int i = 1; i < layers.size(); i++) {
      if (layers.get(i) instanceof BatchNorm && layers.get(i - 1) instanceof Conv2d c && c.kernel() == 3) {
        out.add(prefix + i);
      }
    }
  }

  /** The response spread of a trained net, measured on its final checkpoint on the cell's backend. */
  private static LayerResponses measure(CellRunner.Cell cell, TrainedRun run, Path folder, ImageData data,
      int examples, ExperimentContext ctx) {
    ModelSpec spec = cell.spec();
    List<String> probes = responseProbes(spec);
    Moments[] m = new Moments[probes.size()];
    for (int i = 0; i < m.length; i++) {
      m[i] = new Moments();
    }
    int n = Math.min(examples, data.test().size());
    try (Session s = Cells.openTrained(cell, run, folder, ctx.options())) {
      for (int from = 0; from < n; from += 100) {
        Batch b = BatchSampler.slice(data.test(), from, Math.min(n, from + 100));
        Map<String, HostTensor> acts = s.activations(b.input(), BnMode.INFERENCE, BlockGates.inference(spec), probes);
        for (int i = 0; i < probes.size(); i++) {
          m[i].add(acts.get(probes.get(i)).data());
        }
      }
    }
    double[] std = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      std[i] = m[i].populationStandardDeviation();
    }
    String family = cell.group().substring(0, cell.group().indexOf('-'));
    return new LayerResponses(cell.id(), family, Integer.parseInt(cell.group().substring(family.length() + 1)),
        probes, std);
  }

  /** The computed verdict on one backend's runs: does final training error rise with depth, per family? */
  static Verdict verdict(String backend, DegradationConfig cfg, List<TrainedRun> runs) {
    List<FamilyTrend> trends = new ArrayList<>();
    for (String family : cfg.families()) {
      List<Double> depthOf = new ArrayList<>();
      List<Double> errors = new ArrayList<>();
      Map<Integer, double[]> byDepth = new LinkedHashMap<>();
      for (int depth : cfg.depths()) {
        double[] e = runs.stream().filter(r -> r.group().equals(family + "-" + depth))
            .mapToDouble(TrainedRun::finalTrainErrorPercent).filter(Double::isFinite).toArray();
        byDepth.put(depth, e);
        for (double v : e) {
          depthOf.add((double) depth);
          errors.add(v);
        }
      }
      int lo = cfg.depths().get(0);
      int hi = cfg.depths().get(cfg.depths().size() - 1);
      if (byDepth.get(lo).length == 0 || byDepth.get(hi).length == 0 || lo == hi) {
        continue;
      }
      Interval a = Interval.ofMean(byDepth.get(lo), 0.95);
      Interval b = Interval.ofMean(byDepth.get(hi), 0.95);
      double rho = Trend.spearman(depthOf.stream().mapToDouble(Double::doubleValue).toArray(),
          errors.stream().mapToDouble(Double::doubleValue).toArray());
      trends.add(new FamilyTrend(family, lo, hi, a.mean(), a.halfWidth(), b.mean(), b.halfWidth(), rho,
          b.mean() > a.mean(), a.n() > 1 && b.n() > 1 && a.separatedFrom(b)));
    }
    FamilyTrend plain = trends.stream().filter(t -> t.family().equals("plain")).findFirst().orElse(null);
    FamilyTrend res = trends.stream().filter(t -> t.family().equals("resnet")).findFirst().orElse(null);
    // Reproduced: plain nets' error rises with depth beyond the intervals (or, with one seed, rises at all) while
    // ResNets' does not rise beyond theirs. Directions right but within the intervals: suggested, not established.
    boolean oneSeed = plain != null && Double.isNaN(plain.shallowHalfWidth());
    boolean plainDegrades = plain != null && plain.rises() && (oneSeed || plain.separated());
    boolean resnetDegrades = res != null && res.rises() && (oneSeed || res.separated());
    boolean reproduced = plain != null && res != null && plainDegrades && !resnetDegrades;
    boolean suggested = plain != null && res != null && !reproduced && plain.rises() && !resnetDegrades
        && (!res.rises() || plain.deepError() - plain.shallowError() > res.deepError() - res.shallowError());
    StringBuilder text = new StringBuilder(backend + ": ");
    for (FamilyTrend t : trends) {
      text.append(String.format(Locale.ROOT, "%s final training error %s from depth %d (%.2f%%%s) to %d (%.2f%%%s),"
          + " Spearman %.2f%s; ", t.family(), t.rises() ? "rises" : "does not rise", t.shallowest(), t.shallowError(),
          hw(t.shallowHalfWidth()), t.deepest(), t.deepError(), hw(t.deepHalfWidth()), t.spearman(),
          Double.isNaN(t.shallowHalfWidth()) ? " (one seed: no interval)" : t.separated()
              ? " (beyond the 95% intervals)" : " (within the 95% intervals)"));
    }
    text.append(plain == null || res == null ? "the verdict needs both families"
        : reproduced ? "the paper's shape (plain nets degrade with depth, ResNets do not) is reproduced"
        : suggested ? "the paper's shape is suggested but not established at this scale (the differences lie within"
            + " the 95% intervals)"
        : "the paper's shape is NOT reproduced at this scale");
    return new Verdict(backend, trends, reproduced, text.toString());
  }

  private static String hw(double h) {
    return Double.isNaN(h) ? "" : String.format(Locale.ROOT, " ± %.2f", h);
  }
}
