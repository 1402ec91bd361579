package org.resbench.experiments.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.resbench.experiments.bench.BenchResult;
import org.resbench.experiments.bench.Measure;
import org.resbench.experiments.bench.PeakMeasurement;
import org.resbench.experiments.parity.ParityData;
import org.resbench.experiments.shattered.ShatteredGradientsData;
import org.resbench.experiments.throughput.ThroughputData;
import org.resbench.experiments.throughput.ThroughputExperiment;
import org.resbench.results.BackendInfo;
import org.resbench.results.Provenance;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;
import org.resbench.results.stats.CurveFit;
import org.resbench.results.stats.DecayLaw;
import org.resbench.results.stats.Samples;

/** Fixed, seeded run records for report tests: every number derives from a fixed seed. */
final class SampleRuns {
  private SampleRuns() {}

  static Provenance provenance(String start) {
    return new Provenance(Map.of("profile", "smoke", "seed", 1), "0123456789abcdef",
        List.of(new BackendInfo("reference", "resbench reference", "0.1.0", "cpu"),
            new BackendInfo("ort-cpu", "ONNX Runtime", "1.28.0", "cpu")),
        2, Map.of("weights", 1L, "data", 2L), Map.of("jvm", "OpenJDK 17", "cpu", "Test CPU", "cores", "2"), "0.1.0",
        "0123456789abcdef0123456789abcdef01234567", start, start);
  }

  static RunRecord parity() {
    List<ParityData.Check> checks = new ArrayList<>();
    String[] qs = {"logits, BN train", "logits, BN inference", "input gradient", "parameter gradients",
        "parameter change after k SGD steps"};
    for (String q : qs) {
      checks.add(new ParityData.Check("resnet-8-in3x8x8", "ort-cpu", "scenario " + q, q, q.startsWith("parameter")
          ? "block0.conv1.weight" : "logits", "[0, 3]", 2.5e-6, 4e-5, 0.04, "1e-3 |x| + 1e-3 rms", true, 1));
    }
    checks.add(new ParityData.Check("resnet-8-in3x8x8", "djl-pytorch-cpu", "cross-entropy gradients", "input gradient",
        "input", "[1, 0, 2, 3]", 0.2, 0.9, 210, "1e-3 |x| + 1e-3 rms", false, 1));
    double[] ref = new double[20];
    double[] ort = new double[20];
    for (int i = 0; i < 20; i++) {
      ref[i] = 2.3 * Math.exp(-i / 15.0);
      ort[i] = ref[i] + 1e-6 * i;
    }
    ParityData d = new ParityData(List.of("resnet-8-in3x8x8"), "reference", List.of("ort-cpu", "djl-pytorch-cpu"), 20,
        checks, List.of(new ParityData.Trajectory("resnet-8-in3x8x8", "reference", ref),
            new ParityData.Trajectory("resnet-8-in3x8x8", "ort-cpu", ort)),
        List.of(new ParityData.Skip("resnet-8-in3x8x8", "djl-onnxruntime", "one training step", "inference only")));
    return new RunRecord(RunRecord.SCHEMA, "20261123-100000-parity-0001", "parity", "smoke", RunStatus.FAILED,
        List.of("djl-pytorch-cpu is outside the tolerance for input-grad"), provenance("2026-11-23T10:00:00Z"), d);
  }

  static RunRecord shattered() {
    SplittableRandom r = new SplittableRandom(7);
    int n = 64;
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = -2 + 4.0 * i / n;
    }
    List<Integer> depths = List.of(1, 4, 16);
    List<ShatteredGradientsData.GradientCurve> curves = new ArrayList<>();
    List<ShatteredGradientsData.DepthFit> fits = new ArrayList<>();
    List<ShatteredGradientsData.UnitActivity> act = new ArrayList<>();
    for (String backend : List.of("reference", "ort-cpu")) {
      for (String fam : List.of("ff-bn", "res-bn")) {
        for (int depth : depths) {
          double rho = fam.startsWith("ff") ? Math.pow(0.6, depth) : Math.pow(depth, -0.5);
          double[] g = new double[n];
          for (int i = 0; i < n; i++) {
            g[i] = Math.sin(xs[i] * depth) + r.nextGaussian() * 0.1;
          }
          double[] ac = new double[8];
          for (int k = 0; k < ac.length; k++) {
            ac[k] = Math.pow(rho, k);
          }
          curves.add(new ShatteredGradientsData.GradientCurve(backend, fam, depth, g, new double[0], ac, rho, 1));
          act.add(new ShatteredGradientsData.UnitActivity(backend, fam, depth, List.of("block0", "head"),
              new double[] {0.1, 0.2}, new double[] {0.05, 0.3}, new double[] {1.0, 0.5 * depth}));
        }
        boolean ff = fam.startsWith("ff");
        fits.add(new ShatteredGradientsData.DepthFit(backend, fam,
            new CurveFit.Fit(DecayLaw.EXPONENTIAL, 1.0, 0.6, ff ? 1e-4 : 0.05, ff ? 0.99 : 0.6),
            new CurveFit.Fit(DecayLaw.POWER, 1.0, 0.5, ff ? 0.03 : 1e-4, ff ? 0.7 : 0.99),
            ff ? DecayLaw.EXPONENTIAL : DecayLaw.POWER, List.of(0.58, 0.61, 0.6), List.of(0.49, 0.52, 0.5)));
      }
    }
    List<ShatteredGradientsData.GradientCurve> conv = new ArrayList<>();
    for (String fam : List.of("plain", "resnet")) {
      for (int depth : List.of(8, 14)) {
        double[] nc = new double[15];
        for (int i = 0; i < nc.length; i++) {
          nc[i] = fam.equals("plain") ? 0.5 + 0.01 * i : 0.9 - 0.001 * i;
        }
        conv.add(new ShatteredGradientsData.GradientCurve("reference", fam, depth, new double[16], nc,
            new double[] {1, 0.8, 0.6}, fam.equals("plain") ? 0.55 : 0.89, 1));
      }
    }
    ShatteredGradientsData d = new ShatteredGradientsData(List.of("reference", "ort-cpu"),
        new ShatteredGradientsData.MlpStudy(200, xs, depths, curves, fits, act,
            org.resbench.experiments.shattered.ShatteredGradientsExperiment.spreads(curves)),
        new ShatteredGradientsData.ConvStudy(16, "synthetic #0 -> #1", List.of(8, 14), conv, List.of(), List.of()));
    return new RunRecord(RunRecord.SCHEMA, "20261123-100500-shattered-gradients-0002", "shattered-gradients", "smoke",
        RunStatus.PASSED, List.of(), provenance("2026-11-23T10:05:00Z"), d);
  }

  /**
   * A throughput run: resnet-20 on two engines with peaks and one without (djl-onnxruntime, inference only), batches
   * 1 and 128, 1 and 2 threads, through the experiment's own derivation of rows from timed cells.
   */
  static RunRecord throughput() {
    SplittableRandom r = new SplittableRandom(11);
    long macs = 40_551_040L;
    List<String> backends = List.of("ort-cpu", "djl-pytorch-cpu", "djl-onnxruntime");
    List<ThroughputData.Peak> peaks = new ArrayList<>();
    for (int t : List.of(1, 2)) {
      for (String b : List.of("ort-cpu", "djl-pytorch-cpu")) {
        double base = (b.equals("ort-cpu") ? 160 : 120) * t;
        for (String when : List.of("before", "after")) {
          for (int n : List.of(256, 1024)) {
            double[] s = seconds(r, 2.0 * n * n * n / ((n == 256 ? base : 0.8 * base) * 1e9), 5);
            peaks.add(ThroughputExperiment.peak(new PeakMeasurement(b, t, n, b.equals("ort-cpu")
                ? "ONNX Runtime MatMul " + n + "x" + n + "x" + n + " float32, B constant"
                : "PyTorch matMul " + n + "x" + n + "x" + n + " float32 (DJL NDArray)", 2.0 * n * n * n,
                new Samples(s)), when));
          }
        }
      }
    }
    List<ThroughputData.Row> rows = new ArrayList<>();
    List<ThroughputData.Group> groups = new ArrayList<>();
    for (int t : List.of(1, 2)) {
      List<BenchResult.Cell> cells = new ArrayList<>();
      for (String b : backends) {
        for (int batch : List.of(1, 128)) {
          double perImage = (b.equals("ort-cpu") ? 0.5e-3 : b.equals("djl-pytorch-cpu") ? 1.0e-3 : 0.6e-3) / t;
          double latency = perImage * batch + (b.equals("ort-cpu") ? 0.2e-3 : 2e-3);
          long before = (300L + 40 * cells.size()) << 20;
          cells.add(new BenchResult.Cell(b, batch, Measure.INFERENCE, new Samples(seconds(r, latency, 6)), 0.05,
              3 * latency, before, before + (60L << 20), true));
          cells.add(new BenchResult.Cell(b, batch, Measure.BARE_INFERENCE, new Samples(seconds(r, 0.99 * latency, 6)),
              0.04, 2 * latency, before, before + (60L << 20), true));
          if (!b.equals("djl-onnxruntime")) {
            cells.add(new BenchResult.Cell(b, batch, Measure.TRAIN_STEP, new Samples(seconds(r, 5.5 * latency, 6)),
                0.8, 20 * latency, before, before + (150L << 20), true));
          }
        }
      }
      BenchResult res = new BenchResult("resnet-20", macs, t, cells,
          List.of("djl-onnxruntime train-step: the backend cannot train"), List.of(), 900L << 20);
      res.cells().forEach(c -> rows.add(ThroughputExperiment.row(res, c, peaks)));
      groups.add(new ThroughputData.Group("resnet-20", t, 41.5 / t, 900L << 20, res.skipped(), res.failures()));
    }
    ThroughputData d = new ThroughputData(0.95, List.of("resnet-20"), backends, List.of(1, 128), List.of(1, 2), 2,
        peaks, rows, groups, List.of("djl-onnxruntime: no peak measured (the backend has no peak probe)"));
    return new RunRecord(RunRecord.SCHEMA, "20261204-130000-throughput-0005", "throughput", "smoke", RunStatus.PASSED,
        List.of(), provenance("2026-12-04T13:00:00Z"), d);
  }

  /** {@code n} call times around {@code mean} seconds, +-5% noise. */
  private static double[] seconds(SplittableRandom r, double mean, int n) {
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = mean * (1 + 0.05 * (2 * r.nextDouble() - 1));
    }
    return s;
  }

  /** A trained cell with a seeded, decreasing loss; {@code level} shifts its errors. */
  static org.resbench.experiments.training.TrainedRun trained(String cell, String group, String spec, String backend,
      long seed, double level) {
    SplittableRandom r = new SplittableRandom(seed * 31 + cell.hashCode());
    int n = 20;
    float[] loss = new float[n];
    float[] lr = new float[n];
    float[] err = new float[n];
    float[] secs = new float[n];
    short[] active = new short[n];
    for (int i = 0; i < n; i++) {
      loss[i] = (float) (2.3 * Math.exp(-i / (8.0 + level)) + 0.05 * r.nextDouble());
      lr[i] = 0.1f;
      err[i] = (float) (90 * Math.exp(-i / 6.0) + level + r.nextDouble());
      secs[i] = 0.01f;
      active[i] = 3;
    }
    List<org.resbench.results.training.TrainingHistory.Evaluation> evals = List.of(
        new org.resbench.results.training.TrainingHistory.Evaluation(10, 30 + level, 32 + level, 0.9),
        new org.resbench.results.training.TrainingHistory.Evaluation(20, 10 + level + seed, 12 + level + seed, 0.4));
    return new org.resbench.experiments.training.TrainedRun(cell, group, spec, backend, seed, 16, n, "completed",
        null, new org.resbench.results.training.TrainingHistory(loss, lr, err, secs, active, evals), 12.5 + level
            + seed,
        0.41, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "checkpoints/" + cell
        + "/step-0000020.npz", List.of());
  }

  static RunRecord degradation() {
    List<org.resbench.experiments.training.TrainedRun> runs = new ArrayList<>();
    List<org.resbench.experiments.degradation.DegradationData.LayerResponses> responses = new ArrayList<>();
    for (long seed : List.of(0L, 1L)) {
      for (String family : List.of("plain", "resnet")) {
        for (int depth : List.of(8, 14)) {
          String group = family + "-" + depth;
          String cell = group + "-ort-cpu-s" + seed;
          runs.add(trained(cell, group, group + "-in1x32x32", "ort-cpu", seed, family.equals("plain") ? depth / 2.0
              : 4 - depth / 7.0));
          double[] std = new double[depth - 1];
          for (int i = 0; i < std.length; i++) {
            std[i] = (family.equals("plain") ? 1.2 : 0.6) + 0.05 * Math.sin(i + seed);
          }
          List<String> layers = new ArrayList<>();
          for (int i = 0; i < std.length; i++) {
            layers.add("layer" + i);
          }
          responses.add(new org.resbench.experiments.degradation.DegradationData.LayerResponses(cell, family, depth,
              layers, std));
        }
      }
    }
    var trends = List.of(
        new org.resbench.experiments.degradation.DegradationData.FamilyTrend("plain", 8, 14, 14.5, 1.2, 17.5, 1.3,
            0.89, true, true),
        new org.resbench.experiments.degradation.DegradationData.FamilyTrend("resnet", 8, 14, 13.4, 1.1, 12.5, 1.0,
            -0.45, false, false));
    var d = new org.resbench.experiments.degradation.DegradationData("fashion-mnist", false, List.of("plain",
        "resnet"), List.of(8, 14), runs, responses, List.of(new org.resbench.experiments.degradation.DegradationData
        .Verdict("ort-cpu", trends, true, "ort-cpu: plain final training error rises ...; the paper's shape is"
            + " reproduced")));
    return new RunRecord(RunRecord.SCHEMA, "20261204-110000-degradation-0003", "degradation", "smoke",
        RunStatus.PASSED, List.of("data: fashion-mnist, not CIFAR-10", d.verdicts().get(0).text()),
        provenance("2026-12-04T11:00:00Z"), d);
  }

  static RunRecord train() {
    List<org.resbench.experiments.training.TrainedRun> runs = new ArrayList<>();
    for (String backend : List.of("ort-cpu", "djl-pytorch-cpu")) {
      for (long seed : List.of(0L, 1L, 2L)) {
        runs.add(trained(backend + "-s" + seed, backend, "resnet-20-in1x32x32", backend, seed, 1));
      }
    }
    return new RunRecord(RunRecord.SCHEMA, "20261204-120000-train-0004", "train", "smoke", RunStatus.PASSED,
        List.of(), provenance("2026-12-04T12:00:00Z"), new org.resbench.experiments.train.TrainData(
            "resnet-20-in1x32x32", "fashion-mnist", runs));
  }

  static RunRecord stochasticDepth() {
    List<org.resbench.experiments.training.TrainedRun> runs = new ArrayList<>();
    List<org.resbench.experiments.stochastic.StochasticDepthData.Lesion> lesions = new ArrayList<>();
    for (long seed : List.of(0L, 1L)) {
      for (String group : List.of("constant", "stochastic")) {
        String cell = group + "-ort-cpu-s" + seed;
        runs.add(trained(cell, group, group.equals("constant") ? "resnet-20-in1x32x32" : "resnet-20-sd0.5-in1x32x32",
            "ort-cpu", seed, group.equals("constant") ? 2 : 1));
        double[] e = new double[9];
        for (int i = 0; i < 9; i++) {
          e[i] = (group.equals("constant") ? 20 : 15) + (i % 3 == 0 ? 10 : 1) + seed;
        }
        lesions.add(new org.resbench.experiments.stochastic.StochasticDepthData.Lesion(cell, group, 12, e,
            new boolean[] {false, false, false, true, false, false, true, false, false}));
      }
    }
    var d = new org.resbench.experiments.stochastic.StochasticDepthData("fashion-mnist", false, 20, 0.5, 9, 6.5, runs,
        List.of(new org.resbench.experiments.stochastic.StochasticDepthData.TestTime("stochastic-ort-cpu-s0", 12.1,
            13.4)), lesions, List.of(new org.resbench.experiments.stochastic.StochasticDepthData.Timing("ort-cpu",
            0.1, 0.08, 6.4)), List.of("test error: constant depth 14.5 ± 1.0%, stochastic depth 13.5 ± 1.0%"));
    return new RunRecord(RunRecord.SCHEMA, "20261204-130000-stochastic-depth-0005", "stochastic-depth", "smoke",
        RunStatus.PASSED, List.of(), provenance("2026-12-04T13:00:00Z"), d);
  }

  static RunRecord resnext() {
    List<org.resbench.experiments.training.TrainedRun> runs = new ArrayList<>();
    int[][] designs = {{1, 16}, {2, 10}, {4, 6}};
    for (long seed : List.of(0L, 1L)) {
      for (int[] cd : designs) {
        runs.add(trained("c" + cd[0] + "x" + cd[1] + "d-ort-cpu-s" + seed, "C=" + cd[0], "resnext-11-" + cd[0] + "x"
            + cd[1] + "d-in1x32x32", "ort-cpu", seed, 3 - cd[0] / 2.0));
      }
    }
    var d = new org.resbench.experiments.resnext.ResNeXtData("fashion-mnist", false, "params", List.of(
        new org.resbench.experiments.resnext.ResNeXtData.Design(1, 16, "resnext-11-1x16d-in1x32x32", 866_698,
            121_972_736, 0),
        new org.resbench.experiments.resnext.ResNeXtData.Design(2, 10, "resnext-11-2x10d-in1x32x32", 888_226,
            128_026_624, 0.0248),
        new org.resbench.experiments.resnext.ResNeXtData.Design(4, 6, "resnext-11-4x6d-in1x32x32", 909_754,
            134_080_512, 0.0497)), runs, List.of("ort-cpu: test error falls from C=1 to C=4"));
    return new RunRecord(RunRecord.SCHEMA, "20261204-140000-resnext-0006", "resnext", "smoke", RunStatus.PASSED,
        List.of(), provenance("2026-12-04T14:00:00Z"), d);
  }

  /**
   * An ensemble-paths run: ResNet-20 and plain-20 trained here on ort-cpu, path gradients falling as 0.6^k on two
   * backends (trained) and flat (initialisation), lesions on three backends (djl-onnxruntime: lesions only).
   */
  static RunRecord ensemblePaths() {
    var distribution = org.resbench.experiments.ensemble.PathDistribution.of(org.resbench.harness.spec.SpecNames
        .build("resnet-20-in1x32x32"));
    int n = distribution.residualBlocks();
    List<org.resbench.experiments.ensemble.EnsemblePathsData.PathGradients> gradients = new ArrayList<>();
    for (String backend : List.of("ort-cpu", "djl-pytorch-cpu")) {
      for (String which : List.of("trained", "initialisation")) {
        double[][] m = new double[n + 1][6];
        SplittableRandom g = new SplittableRandom(which.hashCode());
        for (int k = 0; k <= n; k++) {
          for (int s = 0; s < m[k].length; s++) {
            double base = which.equals("trained") ? 0.02 * Math.pow(0.6, k) : 0.02 * Math.pow(0.98, k);
            m[k][s] = base * (1 + 0.3 * g.nextDouble()) * (backend.equals("ort-cpu") ? 1 : 1 + 1e-6);
          }
        }
        gradients.add(new org.resbench.experiments.ensemble.EnsemblePathsData.PathGradients(backend, "resnet",
            "resnet-20-in1x32x32", which, 0, 16, "train", 1, 4.0, 15.0, m,
            org.resbench.experiments.ensemble.PathGradientSampler.summarise(m, 0.9)));
      }
    }
    List<org.resbench.experiments.ensemble.EnsemblePathsData.LesionResult> lesions = new ArrayList<>();
    boolean[] down = new boolean[n];
    down[3] = true;
    down[6] = true;
    for (String backend : List.of("ort-cpu", "djl-pytorch-cpu", "djl-onnxruntime")) {
      for (String role : List.of("resnet", "plain")) {
        SplittableRandom e = new SplittableRandom(role.hashCode());
        boolean plain = role.equals("plain");
        double whole = plain ? 12.4 : 10.8;
        double[] single = new double[n];
        for (int b = 0; b < n; b++) {
          single[b] = plain ? 80 + 8 * e.nextDouble() : whole + (down[b] ? 9 : 1) + e.nextDouble();
        }
        List<org.resbench.experiments.lesion.Lesions.RandomDeletions> del = new ArrayList<>();
        List<org.resbench.experiments.lesion.Lesions.RandomSwaps> swp = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
          del.add(new org.resbench.experiments.lesion.Lesions.RandomDeletions(k, new double[] {Math.min(90, whole + k
              * (plain ? 40 : 3) + e.nextDouble()), Math.min(90, whole + k * (plain ? 40 : 4) + e.nextDouble())}));
          if (k <= 2) {
            swp.add(new org.resbench.experiments.lesion.Lesions.RandomSwaps(k, new double[] {Math.min(90, whole + k
                * (plain ? 35 : 2) + e.nextDouble()), Math.min(90, whole + k * (plain ? 38 : 3) + e.nextDouble())}));
          }
        }
        lesions.add(new org.resbench.experiments.ensemble.EnsemblePathsData.LesionResult(backend, role, role
            + "-20-in1x32x32", 0, 250, new org.resbench.experiments.lesion.Lesions.SingleBlock(whole, single,
                down.clone()), del, swp, 2.5));
      }
    }
    List<org.resbench.experiments.training.TrainedRun> runs = List.of(
        trained("resnet-ort-cpu-s0", "resnet", "resnet-20-in1x32x32", "ort-cpu", 0, 1),
        trained("plain-ort-cpu-s0", "plain", "plain-20-in1x32x32", "ort-cpu", 0, 2));
    var cfg = new org.resbench.experiments.ensemble.EnsemblePathsConfig(
        new org.resbench.experiments.ensemble.EnsemblePathsConfig.Net("resnet-20", null),
        new org.resbench.experiments.ensemble.EnsemblePathsConfig.Net("plain-20", null), null, List.of("fashion-mnist"),
        List.of(0L), new org.resbench.experiments.training.TrainingSettings(100, 0, 32, 0.1, "step", null, 0.1, 0,
            0.01, 0.9, 1e-4, false, 0, 0, true), "auto", 6, 16, "train", true, 0.9, 1, 3, 2, 2, 250, 250, 10);
    var verdicts = org.resbench.experiments.ensemble.EnsemblePathsExperiment.verdicts(cfg, List.of("djl-onnxruntime",
        "ort-cpu", "djl-pytorch-cpu"), distribution, gradients, lesions);
    var nets = List.of(
        new org.resbench.experiments.ensemble.EnsemblePathsData.NetInfo("resnet", "resnet-20-in1x32x32", 0,
            "trained here on ort-cpu (cell resnet-ort-cpu-s0, 100 steps)", true, "0123456789abcdef0123", 10.8),
        new org.resbench.experiments.ensemble.EnsemblePathsData.NetInfo("plain", "plain-20-in1x32x32", 0,
            "trained here on ort-cpu (cell plain-ort-cpu-s0, 100 steps)", true, "fedcba9876543210fedc", 12.4));
    var d = new org.resbench.experiments.ensemble.EnsemblePathsData("fashion-mnist {classes=10} [evaluated on 250"
        + " test examples]", nets, runs, distribution, gradients, lesions, List.of(
            new org.resbench.experiments.ensemble.EnsemblePathsData.Skip("djl-onnxruntime", "path gradients",
                "needs path masks and input gradients, which djl-onnxruntime cannot do (it can: inference)")),
        verdicts);
    return new RunRecord(RunRecord.SCHEMA, "20261204-150000-ensemble-paths-0008", "ensemble-paths", "smoke",
        RunStatus.PASSED, List.of("weights: [resnet, plain] trained here on ort-cpu (100 steps, seeds [0])"),
        provenance("2026-12-04T13:00:00Z"), d);
  }

  /** Every sample record, in report order. */
  static List<RunRecord> all() {
    return List.of(parity(), shattered(), train(), degradation(), stochasticDepth(), resnext(), throughput(),
        ensemblePaths());
  }
}
