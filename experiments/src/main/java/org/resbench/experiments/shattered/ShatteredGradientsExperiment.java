package org.resbench.experiments.shattered;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentContext;
import org.resbench.experiments.ExperimentResult;
import org.resbench.experiments.ImageData;
import org.resbench.experiments.Progress;
import org.resbench.experiments.shattered.ShatteredGradientsData.DepthFit;
import org.resbench.experiments.shattered.ShatteredGradientsData.GradientCurve;
import org.resbench.experiments.shattered.ShatteredGradientsData.UnitActivity;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.GradientResult;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.backend.Session;
import org.resbench.harness.data.LabeledDataset;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.spec.MemoryEstimate;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ProbePoint;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;
import org.resbench.results.RunStatus;
import org.resbench.results.stats.Correlations;
import org.resbench.results.stats.CurveFit;
import org.resbench.results.stats.Interval;

/**
 * Balduzzi et al. 2017, "The shattered gradients problem": gradients along a line of inputs at
 * initialisation, how their neighbour correlation decays with depth, and which law fits the decay. Stateless.
 */
public final class ShatteredGradientsExperiment implements Experiment<ShatteredGradientsConfig> {

  @Override
  public String name() {
    return "shattered-gradients";
  }

  @Override
  public String description() {
    return "Balduzzi et al. 2017: gradient correlation along a line of inputs against depth, feedforward vs residual,"
        + " with and without BatchNorm; exponential and power-law fits";
  }

  @Override
  public Class<ShatteredGradientsConfig> configType() {
    return ShatteredGradientsConfig.class;
  }

  @Override
  public Set<Capability> requiredCapabilities() {
    return EnumSet.of(Capability.INPUT_GRADIENTS);
  }

  /**
   * Input gradients of every MLP over the grid (the batch is the grid) and of every conv net over the line between
   * two images (estimated at CIFAR's 3x32x32, the largest input the data sets have).
   */
  @Override
  public List<MemoryEstimate.Work> plannedWork(ShatteredGradientsConfig cfg) {
    List<MemoryEstimate.Work> work = new ArrayList<>();
    for (String family : cfg.mlpFamilies()) {
      for (int depth : cfg.depths()) {
        work.add(new MemoryEstimate.Work(SpecNames.build(mlpSpec(cfg, family, depth)), cfg.points(),
            MemoryEstimate.Workload.GRADIENTS));
      }
    }
    for (String family : cfg.convFamilies()) {
      for (int depth : cfg.convDepths()) {
        work.add(new MemoryEstimate.Work(SpecNames.build(family + "-" + depth), cfg.convPoints(),
            MemoryEstimate.Workload.GRADIENTS));
      }
    }
    return work;
  }

  @Override
  public ExperimentResult run(ShatteredGradientsConfig cfg, ExperimentContext ctx) {
    List<String> messages = new ArrayList<>();
    List<GradientCurve> mlpCurves = new ArrayList<>();
    List<UnitActivity> activity = new ArrayList<>();
    List<GradientCurve> convCurves = new ArrayList<>();
    List<String> used = new ArrayList<>();
    boolean incomplete = false;
    ImageData images = cfg.convDepths().isEmpty() ? null : ctx.imageData().get();
    long units = (long) ctx.backends().size() * cfg.seeds().size() * (cfg.mlpFamilies().size() * cfg.depths().size()
        + (images == null ? 0 : cfg.convFamilies().size() * cfg.convDepths().size()));
    try (Progress progress = ctx.progress().start("shattered-gradients", units)) {
      for (Backend backend : ctx.backends()) {
        try {
          for (long seed : cfg.seeds()) {
            for (String family : cfg.mlpFamilies()) {
              for (int depth : cfg.depths()) {
                progress.step(backend.name() + " " + family + " depth " + depth + " seed " + seed);
                mlp(cfg, ctx, backend, family, depth, seed, seed == cfg.seeds().get(0), mlpCurves, activity,
                    messages);
              }
            }
            if (images != null) {
              for (String family : cfg.convFamilies()) {
                for (int depth : cfg.convDepths()) {
                  progress.step(backend.name() + " " + family + "-" + depth + " seed " + seed);
                  convCurves.add(conv(cfg, ctx, backend, family, depth, seed, images.test()));
                }
              }
            }
          }
          used.add(backend.name());
        } catch (BackendException e) {
          incomplete = true;
          messages.add("backend " + backend.name() + " failed and its curves are incomplete: " + e.getMessage());
        }
      }
    }
    List<Integer> depths = cfg.depths();
    ShatteredGradientsData.MlpStudy mlp = new ShatteredGradientsData.MlpStudy(cfg.width(), cfg.grid(), depths,
        mlpCurves, fits(mlpCurves), activity, spreads(mlpCurves));
    ShatteredGradientsData.ConvStudy conv = null;
    if (images != null) {
      LabeledDataset test = images.test();
      int b = partnerOf(test);
      conv = new ShatteredGradientsData.ConvStudy(cfg.convPoints(), test.name() + " #0 (label " + test.label(0)
          + ") -> #" + b + " (label " + test.label(b) + ")", cfg.convDepths(), convCurves, fits(convCurves),
          spreads(convCurves));
      if (images.synthetic()) {
        messages.add("NOTICE: the conv study used SYNTHETIC images, not a real data set: " + images.description());
      }
    }
    messages.addAll(summary(mlp));
    return new ExperimentResult(incomplete ? RunStatus.INCOMPLETE : RunStatus.PASSED,
        new ShatteredGradientsData(used, mlp, conv), messages);
  }

  /** The spec name of an MLP family at a depth. */
  static String mlpSpec(ShatteredGradientsConfig cfg, String family, int depth) {
    return "mlp-" + depth + "x" + cfg.width() + "-" + family + (cfg.postActivation() ? "-post" : "")
        + (cfg.randomBiases() ? "-bias" : "");
  }

  private static void mlp(ShatteredGradientsConfig cfg, ExperimentContext ctx, Backend backend, String family,
      int depth, long seed, boolean recordActivity, List<GradientCurve> curves, List<UnitActivity> activity,
      List<String> messages) {
    ModelSpec spec = SpecNames.build(mlpSpec(cfg, family, depth));
    double[] grid = cfg.grid();
    float[] x = new float[grid.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) grid[i];
    }
    HostTensor input = HostTensor.of(x, x.length, 1);
    try (Session s = backend.open(spec, Initializer.initialize(spec, seed), ctx.options())) {
      GradientResult r = s.gradients(GradientRequest.builder(input, Objective.sumOfOutputs(x.length, 1))
          .optBnMode(BnMode.TRAIN).build());
      double[] g = toDouble(r.inputGradient().data());
      double[] ac = Correlations.autocorrelation(g, cfg.maxLag());
      curves.add(new GradientCurve(backend.name(), family, depth, g, new double[0], ac, ac[1], seed));
      if (recordActivity && cfg.activity() && backend.probe().can(Capability.ACTIVATIONS)) {
        List<ProbePoint> relus = spec.probePoints().stream().filter(ProbePoint::isRelu).toList();
        try {
          Map<String, HostTensor> acts = s.activations(input, BnMode.TRAIN, BlockGates.ones(spec),
              relus.stream().map(ProbePoint::name).toList());
          activity.add(unitActivity(backend.name(), family, depth, relus, acts));
        } catch (BackendException e) {
          // The gradients are the study; activity statistics are extra, so a backend that fails them keeps its curves.
          String m = backend.name() + ": no ReLU activity statistics: " + e.getMessage();
          if (!messages.contains(m)) {
            messages.add(m);
          }
        }
      }
    }
  }

  /** Always-on and always-off fractions and mean variance across the batch, per ReLU layer. */
  static UnitActivity unitActivity(String backend, String family, int depth, List<ProbePoint> relus,
      Map<String, HostTensor> acts) {
    int layers = relus.size();
    double[] on = new double[layers];
    double[] off = new double[layers];
    double[] variance = new double[layers];
    for (int l = 0; l < layers; l++) {
      HostTensor a = acts.get(relus.get(l).name());
      int n = a.dim(0);
      int units = a.size() / n;
      float[] v = a.data();
      int alwaysOn = 0;
      int alwaysOff = 0;
      double varSum = 0;
      for (int u = 0; u < units; u++) {
        int positive = 0;
        double mean = 0;
        for (int i = 0; i < n; i++) {
          float y = v[i * units + u];
          if (y > 0) {
            positive++;
          }
          mean += y;
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
          double d = v[i * units + u] - mean;
          var += d * d;
        }
        varSum += var / n;
        if (positive == n) {
          alwaysOn++;
        } else if (positive == 0) {
          alwaysOff++;
        }
      }
      on[l] = (double) alwaysOn / units;
      off[l] = (double) alwaysOff / units;
      variance[l] = varSum / units;
    }
    return new UnitActivity(backend, family, depth, relus.stream().map(ProbePoint::name).toList(), on, off, variance);
  }

  private static GradientCurve conv(ShatteredGradientsConfig cfg, ExperimentContext ctx, Backend backend,
      String family, int depth, long seed, LabeledDataset test) {
    String name = family + "-" + depth + "-in" + test.sampleShape() + "-out" + test.numClasses();
    ModelSpec spec = SpecNames.build(name);
    int n = test.sampleShape().size();
    int p = cfg.convPoints();
    float[] a = new float[n];
    float[] b = new float[n];
    test.copyInput(0, a, 0);
    test.copyInput(partnerOf(test), b, 0);
    float[] x = new float[p * n];
    int[] labels = new int[p];
    for (int i = 0; i < p; i++) {
      double t = p == 1 ? 0 : (double) i / (p - 1);
      for (int j = 0; j < n; j++) {
        x[i * n + j] = (float) ((1 - t) * a[j] + t * b[j]);
      }
      labels[i] = test.label(0);
    }
    int[] shape = new int[test.sampleShape().rank() + 1];
    shape[0] = p;
    System.arraycopy(test.sampleShape().dims(), 0, shape, 1, shape.length - 1);
    try (Session s = backend.open(spec, Initializer.initialize(spec, seed), ctx.options())) {
      GradientResult r = s.gradients(GradientRequest.builder(HostTensor.of(x, shape), Objective.crossEntropy(labels))
          .optBnMode(cfg.convBnMode()).build());
      float[] g = r.inputGradient().data();
      double[] norms = new double[p];
      for (int i = 0; i < p; i++) {
        double sq = 0;
        for (int j = 0; j < n; j++) {
          sq += (double) g[i * n + j] * g[i * n + j];
        }
        norms[i] = Math.sqrt(sq);
      }
      int maxLag = Math.min(cfg.maxLag(), p - 1);
      double[] ac = new double[maxLag + 1];
      for (int k = 0; k <= maxLag; k++) {
        double sum = 0;
        for (int i = 0; i + k < p; i++) {
          sum += Correlations.pearson(g, i * n, g, (i + k) * n, n);
        }
        ac[k] = sum / (p - k);
      }
      double[] neighbours = new double[p - 1];
      for (int i = 0; i + 1 < p; i++) {
        neighbours[i] = Correlations.pearson(g, i * n, g, (i + 1) * n, n);
      }
      return new GradientCurve(backend.name(), family, depth, norms, neighbours, ac, ac[1], seed);
    }
  }

  /** The first test example whose label differs from example 0's (or example 1). */
  static int partnerOf(LabeledDataset test) {
    for (int i = 1; i < test.size(); i++) {
      if (test.label(i) != test.label(0)) {
        return i;
      }
    }
    return Math.min(1, test.size() - 1);
  }

  /**
   * Both laws fitted to the mean neighbour correlation over seeds against depth, per (backend, family); with
   * several seeds also each seed's fitted rates.
   */
  static List<DepthFit> fits(List<GradientCurve> curves) {
    List<DepthFit> out = new ArrayList<>();
    for (String key : keys(curves)) {
      List<GradientCurve> cs = of(curves, key);
      List<Integer> depths = cs.stream().map(GradientCurve::depth).distinct().sorted().toList();
      if (depths.size() < 2) {
        continue;
      }
      double[] x = depths.stream().mapToDouble(Integer::doubleValue).toArray();
      double[] mean = depths.stream().mapToDouble(d -> cs.stream().filter(c -> c.depth() == d)
          .mapToDouble(GradientCurve::neighbourCorrelation).average().orElse(Double.NaN)).toArray();
      CurveFit.Comparison both = CurveFit.both(x, mean);
      List<Long> seeds = cs.stream().map(GradientCurve::seed).distinct().toList();
      List<Double> expRates = new ArrayList<>();
      List<Double> powRates = new ArrayList<>();
      if (seeds.size() > 1) {
        for (long seed : seeds) {
          double[] y = depths.stream().mapToDouble(d -> cs.stream().filter(c -> c.depth() == d && c.seed() == seed)
              .mapToDouble(GradientCurve::neighbourCorrelation).findFirst().orElse(Double.NaN)).toArray();
          CurveFit.Comparison one = CurveFit.both(x, y);
          expRates.add(one.exponential().rate());
          powRates.add(one.power().rate());
        }
      }
      String[] bf = key.split("\u0000");
      out.add(new DepthFit(bf[0], bf[1], both.exponential(), both.power(), both.better(), expRates, powRates));
    }
    return out;
  }

  /** The neighbour correlation over seeds, per (backend, family, depth). */
  public static List<ShatteredGradientsData.DepthSpread> spreads(List<GradientCurve> curves) {
    List<ShatteredGradientsData.DepthSpread> out = new ArrayList<>();
    for (String key : keys(curves)) {
      List<GradientCurve> cs = of(curves, key);
      String[] bf = key.split("\u0000");
      for (int depth : cs.stream().map(GradientCurve::depth).distinct().sorted().toList()) {
        double[] v = cs.stream().filter(c -> c.depth() == depth).mapToDouble(GradientCurve::neighbourCorrelation)
            .toArray();
        Interval ci = Interval.ofMean(v, 0.95);
        out.add(new ShatteredGradientsData.DepthSpread(bf[0], bf[1], depth, v.length, ci.mean(), ci.lower(),
            ci.upper()));
      }
    }
    return out;
  }

  private static List<String> keys(List<GradientCurve> curves) {
    return curves.stream().map(c -> c.backend() + "\u0000" + c.family()).distinct().toList();
  }

  private static List<GradientCurve> of(List<GradientCurve> curves, String key) {
    return curves.stream().filter(c -> (c.backend() + "\u0000" + c.family()).equals(key)).toList();
  }

  /** One line per backend comparing the feedforward and residual BN nets at the largest depth. */
  private static List<String> summary(ShatteredGradientsData.MlpStudy mlp) {
    List<String> out = new ArrayList<>();
    int deepest = mlp.depths().get(mlp.depths().size() - 1);
    for (String backend : mlp.curves().stream().map(GradientCurve::backend).distinct().toList()) {
      ShatteredGradientsData.DepthSpread ff = spread(mlp.spreads(), backend, "ff-bn", deepest);
      ShatteredGradientsData.DepthSpread res = spread(mlp.spreads(), backend, "res-bn", deepest);
      if (ff != null && res != null) {
        out.add(String.format(Locale.ROOT, "%s: neighbour-gradient correlation at depth %d: feedforward+BN %s,"
            + " residual+BN %s%s", backend, deepest, meanText(ff), meanText(res), ff.seeds() > 1
            ? " (mean ± 95% half-width over " + ff.seeds() + " seeds)" : ""));
      }
    }
    return out;
  }

  /** The spread of (backend, family, depth), or null. */
  static ShatteredGradientsData.DepthSpread spread(List<ShatteredGradientsData.DepthSpread> spreads, String backend,
      String family, int depth) {
    return spreads.stream().filter(x -> x.backend().equals(backend) && x.family().equals(family)
        && x.depth() == depth).findFirst().orElse(null);
  }

  /** {@code mean} or {@code mean ± half-width}. */
  static String meanText(ShatteredGradientsData.DepthSpread s) {
    return s.seeds() > 1 ? String.format(Locale.ROOT, "%.4f ± %.4f", s.mean(), (s.upper() - s.lower()) / 2)
        : String.format(Locale.ROOT, "%.4f", s.mean());
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
