package org.resbench.experiments.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.cli.CliRunner;
import org.resbench.experiments.ExperimentContext;
import org.resbench.experiments.ExperimentResult;
import org.resbench.experiments.Progress;
import org.resbench.experiments.ensemble.EnsemblePathsData.LesionResult;
import org.resbench.experiments.ensemble.EnsemblePathsData.PathGradientStats;
import org.resbench.experiments.ensemble.EnsemblePathsData.PathGradients;
import org.resbench.experiments.training.TrainingSettings;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.Device;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.conformance.ForwardingSession;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.reference.ReferenceBackend;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;

class EnsemblePathsTest {
  static final TrainingSettings SETTINGS = new TrainingSettings(20, 0, 16, 0.1, "step", null, 0.1, 0, 0.01, 0.9,
      1e-4, false, 0, 10, true);

  /** A small run on the float64 reference: resnet-14 and plain-14 (6 blocks) on 8x8 synthetic images. */
  static CliRunner.Run smallRun(Path dir, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("run", "ensemble-paths", "--backends", "reference",
        "--no-progress", "--results", dir.toString(), "--set", "data=[synthetic-1x8x8-n200]", "--set",
        "resnet.spec=resnet-14", "--set", "plain.spec=plain-14", "--set", "training.steps=20", "--set",
        "training.batch=16", "--set", "training.checkpointEvery=10", "--set", "samplesPerLength=3", "--set",
        "gradientBatch=8", "--set", "lesionMaxK=2", "--set", "swapMaxK=1", "--set", "lesionDraws=2", "--set",
        "testExamples=0", "--set", "evalExamples=0"));
    args.addAll(List.of(more));
    return CliRunner.run(args.toArray(new String[0]));
  }

  @Test
  void aSmallRunTrainsBothNetsSamplesPathGradientsAndLesionsEveryNet(@TempDir Path dir) {
    CliRunner.Run r = smallRun(dir);
    assertEquals(0, r.code(), r.out() + r.err());
    RunRecord rec = new ResultsStore(dir).list().get(0);
    assertEquals(RunStatus.PASSED, rec.status());
    EnsemblePathsData d = (EnsemblePathsData) rec.data();
    assertEquals(2, d.runs().size(), "resnet and plain trained here, one seed");
    assertTrue(d.nets().stream().allMatch(EnsemblePathsData.NetInfo::trainedHere));
    assertTrue(rec.messages().stream().anyMatch(m -> m.contains("trained here on reference")), rec.messages()
        .toString());
    assertEquals(6, d.distribution().residualBlocks());
    assertEquals("64", d.distribution().paths());
    assertEquals(2, d.gradients().size(), "trained and initial weights");
    for (PathGradients g : d.gradients()) {
      assertEquals(7, g.magnitudes().length, "k = 0..6");
      assertEquals(3, g.magnitudes()[0].length);
      for (double[] m : g.magnitudes()) {
        for (double v : m) {
          assertTrue(v > 0 && Double.isFinite(v), "a finite, positive gradient norm: " + v);
        }
      }
      assertNotNull(g.summary());
      assertTrue(g.samplesPerSecond() > 0);
    }
    assertEquals(2, d.lesions().size(), "resnet and plain on one backend");
    LesionResult res = d.lesions().stream().filter(l -> l.role().equals("resnet")).findFirst().orElseThrow();
    assertEquals(6, res.single().errorPercent().length);
    assertArrayEquals(new boolean[] {false, false, true, false, true, false}, res.single().downsampling());
    assertEquals(List.of(1, 2), res.deletions().stream().map(x -> x.k()).toList());
    assertEquals(List.of(1), res.swaps().stream().map(x -> x.k()).toList(),
        "resnet-14 has one swappable pair (blocks 0 and 1)");
    assertEquals(2, res.deletions().get(0).errorPercent().length, "draws");
    assertTrue(d.verdicts().stream().anyMatch(v -> v.kind().equals("plain-vs-resnet")));
    assertEquals(2, d.verdicts().stream().filter(v -> v.kind().equals("decay")).count(), "trained and initial");
    assertEquals(2, d.verdicts().stream().filter(v -> v.kind().equals("effective-range")).count());
  }

  @Test
  void givenWeightsAreStudiedOnEveryBackendSamplesDoNotDependOnWorkersAndInferenceOnlyBackendsSkipGradients(
      @TempDir Path dir) {
    assertEquals(0, smallRun(dir).code());
    RunRecord first = new ResultsStore(dir).list().get(0);
    EnsemblePathsData trained = (EnsemblePathsData) first.data();
    Path resnet = dir.resolve(first.id()).resolve(trained.runs().stream().filter(x -> x.group().equals("resnet"))
        .findFirst().orElseThrow().checkpoint());
    EnsemblePathsConfig cfg = new EnsemblePathsConfig(new EnsemblePathsConfig.Net(null, resnet.toString()),
        new EnsemblePathsConfig.Net("plain-14", "run:" + first.id() + "/plain-reference-s0"), null,
        List.of("synthetic-1x8x8-n200"), List.of(0L), SETTINGS, "auto", 3, 8, "train", false, 0.9, 2, 2, 1, 2, 0, 0,
        10);
    Backend inferenceOnly = new InferenceOnly();
    ExperimentContext ctx = new ExperimentContext(List.of(new ReferenceBackend(), inferenceOnly),
        SessionOptions.DEFAULT, Progress.Factory.NONE, () -> {
          throw new AssertionError("the experiment names its own data");
        }, names -> org.resbench.experiments.ImageSources.loadFirstPresent(names, null, n -> { }), new InStore(dir));
    ExperimentResult result = new EnsemblePathsExperiment().run(cfg, ctx);
    assertEquals(RunStatus.PASSED, result.status(), result.messages().toString());
    EnsemblePathsData d = (EnsemblePathsData) result.data();
    assertTrue(d.runs().isEmpty(), "nothing trained: every net came with weights");
    assertTrue(d.nets().stream().noneMatch(EnsemblePathsData.NetInfo::trainedHere));
    PathGradients before = trained.gradients().stream().filter(g -> g.weights().equals(EnsemblePathsData.TRAINED))
        .findFirst().orElseThrow();
    assertEquals(1, d.gradients().size(), "trained weights on the reference only");
    PathGradients after = d.gradients().get(0);
    assertEquals(2, after.workers());
    for (int k = 0; k < before.magnitudes().length; k++) {
      assertArrayEquals(before.magnitudes()[k], after.magnitudes()[k], 0, "same weights, seed and draws with 2"
          + " workers instead of 1: the same bits (float64 reference)");
    }
    assertTrue(d.skips().stream().anyMatch(s -> s.backend().equals("inference-only") && s.what().equals(
        "path gradients") && s.reason().contains("path masks")), d.skips().toString());
    assertEquals(4, d.lesions().size(), "2 nets x 2 backends");
    for (String role : List.of("resnet", "plain")) {
      List<LesionResult> ls = d.lesions().stream().filter(l -> l.role().equals(role)).toList();
      assertEquals(ls.get(0).single().wholeErrorPercent(), ls.get(1).single().wholeErrorPercent());
      assertArrayEquals(ls.get(0).single().errorPercent(), ls.get(1).single().errorPercent(), 0);
      assertArrayEquals(ls.get(0).swaps().get(0).errorPercent(), ls.get(1).swaps().get(0).errorPercent(), 0);
    }
  }

  @Test
  void anAbsentDataSetIsBadInputBeforeAnyWork(@TempDir Path dir) throws java.io.IOException {
    java.nio.file.Files.createDirectories(dir.resolve("empty")); // a --data-dir that does not exist is its own error
    CliRunner.Run r = CliRunner.run("run", "ensemble-paths", "--backends", "reference", "--no-progress", "--results",
        dir.toString(), "--set", "data=[cifar10]", "--data-dir", dir.resolve("empty").toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("cifar10") && r.err().contains("resbench data fetch cifar10"), r.err());
  }

  @Test
  void configRefusesNetsThatDoNotFitTheirRole() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config("plain-20", "plain-20"));
    assertTrue(e.getMessage().contains("resnet.spec=plain-20") && e.getMessage().contains("allowed"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> config("resnet-20", "resnet-20"));
    assertTrue(e.getMessage().contains("plain.spec=resnet-20"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> config("resnet-20", "plain-32"));
    assertTrue(e.getMessage().contains("same depth") && e.getMessage().contains("plain-20"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new EnsemblePathsConfig(new EnsemblePathsConfig.Net(
        "resnet-20", null), new EnsemblePathsConfig.Net("plain-20", null), null, List.of("x"), List.of(0L), SETTINGS,
        "auto", 10, 16, "sideways", true, 0.9, 1, 3, 3, 3, 0, 0, 10));
    assertTrue(e.getMessage().contains("gradientBnMode=sideways"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new EnsemblePathsConfig(new EnsemblePathsConfig.Net(null,
        null), new EnsemblePathsConfig.Net("plain-20", null), null, List.of("x"), List.of(0L), SETTINGS, "auto", 10,
        16, "train", true, 0.9, 1, 3, 3, 3, 0, 0, 10));
    assertTrue(e.getMessage().startsWith("resnet: none"), e.getMessage());
    EnsemblePathsConfig ok = config("resnet-20", "plain-20");
    assertEquals(List.of(EnsemblePathsConfig.Role.RESNET, EnsemblePathsConfig.Role.PLAIN), ok.roles());
  }

  @Test
  void theSummaryRecoversAnExponentialDecayAndTheEffectivePaths() {
    // mean magnitude 0.3^k: with C(10, k) paths of length k the total C(10, k) 0.3^k peaks at k = 2 or 3.
    int n = 10;
    double[][] m = new double[n + 1][];
    for (int k = 0; k <= n; k++) {
      m[k] = new double[] {0.9 * Math.pow(0.3, k), 1.1 * Math.pow(0.3, k)};
    }
    PathGradientStats s = PathGradientSampler.summarise(m, 0.9);
    assertEquals(0.3, s.decay().rate(), 1e-12);
    assertEquals(1.0, s.decay().r2(), 1e-12);
    assertEquals(1.0, s.mean()[0], 1e-12);
    // total_k ∝ C(10, k) 0.3^k, i.e. Binomial(10, 0.3/1.3): k = 0..4 hold 94.2%, no 4 lengths hold 90% (1..4: 87.0%).
    assertEquals(0, s.effectiveFrom());
    assertEquals(4, s.effectiveTo());
    assertTrue(s.effectiveTotalShare() >= 0.9, String.valueOf(s.effectiveTotalShare()));
    assertEquals(org.resbench.results.stats.PathLengths.of(n).shareInRange(0, 4).doubleValue(), s.pathShare(), 0);
    assertEquals(1.0, java.util.Arrays.stream(s.totalShare()).sum(), 1e-12);
    assertEquals(10 * 0.3 / 1.3, s.weightedMeanLength(), 1e-12, "the mean of Binomial(10, 0.3/1.3)");
    assertTrue(EnsemblePathsExperiment.rangeVerdict("b", "trained", s, n).holds(), "2.31 < n/2 = 5");
  }

  @Test
  void theVerdictsStateTheirCriteria() {
    EnsemblePathsData.Verdict v = EnsemblePathsExperiment.plainVerdict("b", 2.0, 60.0, 10);
    assertTrue(v.holds() && v.text().contains("much worse") && v.text().contains("at least 10 points"), v.text());
    assertFalse(EnsemblePathsExperiment.plainVerdict("b", 2.0, 8.0, 10).holds());
  }

  static EnsemblePathsConfig config(String resnet, String plain) {
    return new EnsemblePathsConfig(new EnsemblePathsConfig.Net(resnet, null), new EnsemblePathsConfig.Net(plain, null),
        null, List.of("fashion-mnist"), List.of(0L), SETTINGS, "auto", 10, 16, "train", true, 0.9, 1, 3, 3, 3, 0, 0,
        10);
  }

  /** The reference as an inference-only backend (as djl-onnxruntime is): no gradients, no path masks. */
  static final class InferenceOnly implements Backend {
    @Override
    public String name() {
      return "inference-only";
    }

    @Override
    public String description() {
      return "test double: the reference, inference only";
    }

    @Override
    public Device device() {
      return Device.CPU;
    }

    @Override
    public Capabilities probe() {
      return Capabilities.available("test", "1", Device.CPU, Set.copyOf(EnumSet.of(Capability.INFERENCE)));
    }

    @Override
    public Session open(ModelSpec spec, ModelState state, SessionOptions options) {
      return new ForwardingSession(new ReferenceBackend().open(spec, state, options)) {
        @Override
        public String backendName() {
          return name();
        }
      };
    }
  }

  /** A run handle inside a results folder, so run:ID references resolve; saves are discarded. */
  record InStore(Path root) implements org.resbench.experiments.RunHandle {
    @Override
    public String id() {
      return "in-store";
    }

    @Override
    public Path folder() {
      return root.resolve("in-store-run");
    }

    @Override
    public void save(org.resbench.results.ExperimentData partial, List<String> messages) {}

    @Override
    public java.util.Optional<org.resbench.results.ExperimentData> previous() {
      return java.util.Optional.empty();
    }
  }
}
