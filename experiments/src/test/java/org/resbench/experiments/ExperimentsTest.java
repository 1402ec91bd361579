package org.resbench.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.experiments.parity.ParityConfig;
import org.resbench.experiments.parity.ParityData;
import org.resbench.experiments.parity.ParityExperiment;
import org.resbench.experiments.shattered.ShatteredGradientsConfig;
import org.resbench.experiments.shattered.ShatteredGradientsData;
import org.resbench.experiments.shattered.ShatteredGradientsExperiment;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.reference.ReferenceBackend;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;

class ExperimentsTest {

  static ExperimentRunner.Request request(List<Backend> backends, Path results) {
    return new ExperimentRunner.Request(backends, SessionOptions.DEFAULT, new ResultsStore(results),
        Progress.Factory.NONE, () -> ImageSources.load("synthetic", null, m -> { }), null);
  }

  private static final ParityExperiment PARITY = new ParityExperiment();

  private static ConfigLoader.Resolved<ParityConfig> smallParity() {
    return ConfigLoader.resolve(PARITY, "smoke", null, List.of("specs=[resnet-8-sd-in3x8x8, mlp-2x8-res-bn-out3]",
        "scenarios=[FORWARD_INFERENCE, GRADIENTS_CROSS_ENTROPY, ACTIVATIONS, TRAIN_K_STEPS]", "steps=5"));
  }

  @Test
  void parityPassesForAnIdenticalBackendAndRecordsTrajectories(@TempDir Path dir) {
    RunRecord r = ExperimentRunner.run(PARITY, smallParity(), request(List.of(new ReferenceBackend(),
        TestBackends.copy("copy"), TestBackends.inferenceOnly("infer")), dir));
    assertEquals(RunStatus.PASSED, r.status(), r.messages().toString());
    ParityData d = (ParityData) r.data();
    assertEquals(List.of("copy", "infer"), d.backends());
    assertTrue(d.checks().stream().anyMatch(c -> c.quantity().equals("parameter change after k SGD steps")));
    assertTrue(d.checks().stream().allMatch(c -> c.worstRatio() == 0), "an identical backend has no error");
    // The inference-only backend takes part in forward scenarios and is skipped, with a reason, elsewhere.
    assertTrue(d.checks().stream().anyMatch(c -> c.backend().equals("infer")));
    assertTrue(d.skipped().stream().anyMatch(s -> s.backend().equals("infer") && !s.reason().isBlank()));
    List<ParityData.Trajectory> ts = d.trajectories().stream().filter(t -> t.spec().equals("resnet-8-sd-in3x8x8"))
        .toList();
    assertEquals(List.of("reference", "copy"), ts.stream().map(ParityData.Trajectory::backend).toList());
    assertEquals(5, ts.get(0).losses().length);
    assertTrue(java.util.Arrays.equals(ts.get(0).losses(), ts.get(1).losses()));
    assertTrue(Files.isRegularFile(dir.resolve(r.id()).resolve("run.json")));
    assertEquals(r.id(), new ResultsStore(dir).latest("parity").orElseThrow().id());
  }

  @Test
  void parityFailsAWrongBackendAndSaysWhere(@TempDir Path dir) {
    RunRecord r = ExperimentRunner.run(PARITY, smallParity(), request(List.of(TestBackends.wrongForward("wrong")),
        dir));
    assertEquals(RunStatus.FAILED, r.status());
    assertTrue(r.messages().stream().anyMatch(m -> m.startsWith("FAIL") && m.contains("wrong")
        && m.contains("logits")), r.messages().toString());
    ParityData d = (ParityData) r.data();
    assertFalse(d.allPassed());
    // Only forward() is wrong: forward scenarios fail, gradient scenarios (whose logits come from gradients()) pass.
    assertTrue(d.checks().stream().filter(c -> c.scenario().startsWith("forward")).noneMatch(ParityData.Check::passed));
    assertTrue(d.checks().stream().filter(c -> c.scenario().startsWith("cross-entropy"))
        .allMatch(ParityData.Check::passed));
  }

  @Test
  void shatteredGradientsShowsFeedforwardBnDecayingFasterThanResidualBn(@TempDir Path dir) {
    ShatteredGradientsExperiment exp = new ShatteredGradientsExperiment();
    ConfigLoader.Resolved<ShatteredGradientsConfig> cfg = ConfigLoader.resolve(exp, "smoke", null, List.of(
        "depths=[1, 4, 16, 24]", "maxLag=16", "mlpFamilies=[ff-bn, res-bn, ff]",
        "convDepths=[8, 14]", "convPoints=8"));
    RunRecord r = ExperimentRunner.run(exp, cfg, request(List.of(new ReferenceBackend(),
        TestBackends.inferenceOnly("infer")), dir));
    assertEquals(RunStatus.PASSED, r.status(), r.messages().toString());
    assertTrue(r.messages().stream().anyMatch(m -> m.contains("skipped backend infer")
        && m.contains("input-gradients")),
        r.messages().toString());
    ShatteredGradientsData d = (ShatteredGradientsData) r.data();
    assertEquals(List.of("reference"), d.backends());
    double ff = neighbour(d, "ff-bn", 24);
    double res = neighbour(d, "res-bn", 24);
    // At width 200, 256 points and depth 24 the feedforward+BN gradient is close to white noise; the residual one
    // is not (measured on the smoke profile: -0.03 and 0.68).
    assertTrue(Math.abs(ff) < 0.3, "ff-bn at depth 24: " + ff);
    assertTrue(res > 0.5, "res-bn at depth 24: " + res);
    assertEquals(3, d.mlp().fits().size());
    assertEquals(3 * 4, d.mlp().activity().size());
    ShatteredGradientsData.UnitActivity a = d.mlp().activity().get(0);
    assertEquals(a.layers().size(), a.alwaysOn().length);
    assertEquals(2 * 2 * 2, d.conv().curves().size(), "families x depths x the smoke profile's two seeds");
    assertTrue(d.mlp().spreads().stream().allMatch(x -> x.seeds() == 2 && x.lower() <= x.mean()
        && x.mean() <= x.upper()), "every depth's mean with its interval over the two seeds");
    assertEquals(2, d.mlp().fits().get(0).exponentialRates().size(), "each seed's own fitted rate");
    assertEquals(7, d.conv().curves().get(0).neighbourCorrelations().length);
    assertTrue(r.messages().stream().anyMatch(m -> m.contains("SYNTHETIC")), "synthetic images are announced");
    assertEquals(cfg.asMap().get("depths"), r.provenance().config().get("depths"));
    assertTrue(r.provenance().config().containsKey(ExperimentRunner.DATA_USED), "the data used is in provenance");
  }

  private static double neighbour(ShatteredGradientsData d, String family, int depth) {
    return d.mlp().curves().stream().filter(c -> c.family().equals(family) && c.depth() == depth).findFirst()
        .orElseThrow().neighbourCorrelation();
  }

  @Test
  void anUnwritableResultsFolderFailsBeforeAnyWork(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("file");
    Files.writeString(file, "x");
    assertThrows(UncheckedIOException.class, () -> ExperimentRunner.run(PARITY, smallParity(),
        request(List.of(TestBackends.wrongForward("never-run")), file.resolve("results"))));
  }

  @Test
  void noUsableBackendIsAClearError(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentRunner.run(
        new ShatteredGradientsExperiment(), ConfigLoader.resolve(new ShatteredGradientsExperiment(), "smoke", null,
            null), request(List.of(TestBackends.inferenceOnly("infer")), dir)));
    assertTrue(e.getMessage().contains("no chosen backend can run shattered-gradients"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ExperimentRunner.run(PARITY, smallParity(),
        request(List.of(new ReferenceBackend()), dir)));
    assertTrue(e.getMessage().contains("only the reference was chosen"), e.getMessage());
  }
}
