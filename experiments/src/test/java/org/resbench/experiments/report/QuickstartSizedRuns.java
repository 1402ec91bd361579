package org.resbench.experiments.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.resbench.experiments.parity.ParityData;
import org.resbench.experiments.shattered.ShatteredGradientsData;
import org.resbench.results.BackendInfo;
import org.resbench.results.Provenance;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;
import org.resbench.results.stats.CurveFit;
import org.resbench.results.stats.DecayLaw;

/**
 * Seeded stand-ins for the two records {@code ./resbench quickstart} writes on the four CPU backends, with exactly
 * their size (as recorded on 2026-12-04 from the smoke profiles): parity over 5 specs, 265 checks (120 each for
 * ort-cpu and djl-pytorch-cpu, 25 for djl-onnxruntime), 15 trajectories of 20 steps, 25 skips; shattered-gradients on
 * 3 backends, MLP families ff, ff-bn, res, res-bn at depths 1-50 with 2 seeds and 256 inputs (65 autocorrelation lags,
 * activity per layer), conv families plain and resnet at depths 8, 14, 20 on 32 points. The values are random
 * (noisier than real curves, so their SVG is if anything larger), so the page budget can be measured in a test
 * without running the experiments.
 */
final class QuickstartSizedRuns {
  private QuickstartSizedRuns() {}

  static final List<String> SPECS = List.of("resnet-8-in3x8x8", "resnet-8-sd-in3x8x8", "plain-8-in3x8x8",
      "resnext-11-2x4d-in3x8x8", "mlp-3x16-res-bn-out4");
  static final List<String> QUANTITIES = List.of("logits, BN inference", "logits, BN train",
      "BN running statistics after 1 step", "loss", "input gradient", "parameter gradients",
      "path-masked input gradient", "path-masked parameter gradients", "activations at probe points",
      "parameter change after k SGD steps", "BN running statistics after k steps", "logits, BN inference");

  static Provenance provenance(List<String> backends, String start, String end) {
    return new Provenance(Map.of("profile", "smoke"), "fd78e77c15b721ec", backends.stream()
        .map(b -> new BackendInfo(b, "engine", "1.0", "cpu")).toList(), 0, Map.of("weights", 20261123L),
        Map.of("jvm", "OpenJDK 17", "cpu", "Test CPU", "cores", "2"), "0.1.0-SNAPSHOT",
        "632aea4757d3c0ffee0000000000000000000000", start, end);
  }

  static RunRecord parity() {
    SplittableRandom r = new SplittableRandom(1);
    List<ParityData.Check> checks = new ArrayList<>();
    List<ParityData.Trajectory> trajectories = new ArrayList<>();
    List<ParityData.Skip> skips = new ArrayList<>();
    for (String spec : SPECS) {
      for (String backend : List.of("djl-onnxruntime", "djl-pytorch-cpu", "ort-cpu")) {
        int n = backend.equals("djl-onnxruntime") ? 5 : 24;
        for (int i = 0; i < n; i++) {
          String q = QUANTITIES.get(i % QUANTITIES.size());
          double ratio = r.nextDouble() * 0.3;
          checks.add(new ParityData.Check(spec, backend, "scenario " + (i / 2) + " of " + spec, q,
              "block" + (i % 3) + ".branch.conv" + (1 + i % 2) + ".weight", "[" + i % 4 + ", 0, 1, 2]",
              r.nextDouble() * 1e-6, r.nextDouble() * 1e-4, ratio, "|error| <= 0.0001 + 0.0001 x rms(expected) + "
              + "0.0001 x |expected|", true, 20261123L + i / 12));
        }
        if (backend.equals("djl-onnxruntime")) {
          for (int k = 0; k < 5; k++) {
            skips.add(new ParityData.Skip(spec, backend, "gradients scenario " + k, "backend 'djl-onnxruntime'"
                + " declares neither INPUT_GRADIENTS nor PARAMETER_GRADIENTS"));
          }
        }
      }
      for (String backend : List.of("reference", "djl-pytorch-cpu", "ort-cpu")) {
        double[] loss = new double[20];
        for (int i = 0; i < 20; i++) {
          loss[i] = 2.3 * Math.exp(-i / 15.0) + r.nextDouble() * 1e-6;
        }
        trajectories.add(new ParityData.Trajectory(spec, backend, loss));
      }
    }
    ParityData d = new ParityData(SPECS, "reference", List.of("djl-onnxruntime", "djl-pytorch-cpu", "ort-cpu"), 20,
        checks, trajectories, skips);
    return new RunRecord(RunRecord.SCHEMA, "20261204-192457-parity-f714", "parity", "smoke", RunStatus.PASSED,
        List.of(), provenance(List.of("djl-onnxruntime", "djl-pytorch-cpu", "ort-cpu", "reference"),
            "2026-12-04T19:24:57.195Z", "2026-12-04T19:28:25.346Z"), d);
  }

  static RunRecord shattered() {
    SplittableRandom r = new SplittableRandom(2);
    List<String> backends = List.of("djl-pytorch-cpu", "ort-cpu", "reference");
    List<Integer> depths = List.of(1, 2, 4, 8, 16, 24, 32, 50);
    double[] inputs = new double[256];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = -2 + 4.0 * i / inputs.length;
    }
    List<ShatteredGradientsData.GradientCurve> curves = new ArrayList<>();
    List<ShatteredGradientsData.DepthFit> fits = new ArrayList<>();
    List<ShatteredGradientsData.UnitActivity> activity = new ArrayList<>();
    List<ShatteredGradientsData.DepthSpread> spreads = new ArrayList<>();
    for (String b : backends) {
      for (String fam : List.of("ff", "ff-bn", "res", "res-bn")) {
        for (int depth : depths) {
          for (long seed = 0; seed < 2; seed++) {
            curves.add(new ShatteredGradientsData.GradientCurve(b, fam, depth, random(r, 256), new double[0],
                decaying(r, 65), r.nextDouble(), seed));
          }
          spreads.add(new ShatteredGradientsData.DepthSpread(b, fam, depth, 2, Math.pow(0.9, depth), 0.5
              * Math.pow(0.9, depth), 1.5 * Math.pow(0.9, depth)));
          List<String> layers = new ArrayList<>();
          for (int l = 0; l <= depth; l++) {
            layers.add("block" + l + ".relu");
          }
          activity.add(new ShatteredGradientsData.UnitActivity(b, fam, depth, layers, random(r, depth + 1),
              random(r, depth + 1), positive(r, depth + 1)));
        }
        fits.add(fit(b, fam));
      }
    }
    ShatteredGradientsData.MlpStudy mlp = new ShatteredGradientsData.MlpStudy(200, inputs, depths, curves, fits,
        activity, spreads);
    List<ShatteredGradientsData.GradientCurve> conv = new ArrayList<>();
    List<ShatteredGradientsData.DepthFit> convFits = new ArrayList<>();
    List<ShatteredGradientsData.DepthSpread> convSpreads = new ArrayList<>();
    for (String b : backends) {
      for (String fam : List.of("plain", "resnet")) {
        for (int depth : List.of(8, 14, 20)) {
          for (long seed = 0; seed < 2; seed++) {
            conv.add(new ShatteredGradientsData.GradientCurve(b, fam, depth, positive(r, 32), random(r, 31),
                decaying(r, 9), r.nextDouble(), seed));
          }
          convSpreads.add(new ShatteredGradientsData.DepthSpread(b, fam, depth, 2, 0.8, 0.7, 0.9));
        }
        convFits.add(fit(b, fam));
      }
    }
    ShatteredGradientsData d = new ShatteredGradientsData(backends, mlp, new ShatteredGradientsData.ConvStudy(32,
        "fashion-mnist/test #0 (label 9) -> #1 (label 2)", List.of(8, 14, 20), conv, convFits, convSpreads));
    return new RunRecord(RunRecord.SCHEMA, "20261204-192826-shattered-gradients-8f4b", "shattered-gradients",
        "smoke", RunStatus.PASSED, List.of("skipped backend djl-onnxruntime: shattered-gradients needs"
            + " input-gradients, which it cannot do"), provenance(backends, "2026-12-04T19:28:26.308Z",
            "2026-12-04T19:35:21.000Z"), d);
  }

  static List<RunRecord> all() {
    return List.of(parity(), shattered());
  }

  private static ShatteredGradientsData.DepthFit fit(String backend, String family) {
    return new ShatteredGradientsData.DepthFit(backend, family,
        new CurveFit.Fit(DecayLaw.EXPONENTIAL, 1.2, 0.84, 1e-3, 0.99),
        new CurveFit.Fit(DecayLaw.POWER, 0.9, 0.5, 1e-2, 0.9), DecayLaw.EXPONENTIAL, List.of(0.83, 0.85),
        List.of(0.5, 0.6));
  }

  private static double[] random(SplittableRandom r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextDouble() * 2 - 1;
    }
    return v;
  }

  private static double[] positive(SplittableRandom r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 0.1 + r.nextDouble();
    }
    return v;
  }

  private static double[] decaying(SplittableRandom r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = i == 0 ? 1 : Math.exp(-i / 8.0) + 0.1 * (r.nextDouble() - 0.5);
    }
    return v;
  }
}
