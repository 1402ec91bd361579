package org.resbench.experiments.degradation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.cli.CliRunner;
import org.resbench.experiments.training.TrainedRun;
import org.resbench.experiments.training.TrainingSettings;
import org.resbench.harness.spec.SpecNames;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;
import org.resbench.results.training.TrainingHistory;

class DegradationTest {
  private static final TrainingSettings SETTINGS = new TrainingSettings(20, 0, 8, 0.1, "step", null, 0.1, 0, 0.01, 0.9,
      1e-4, false, 10, 10, true);

  @Test
  void aSmallRunTrainsEveryCellMeasuresResponsesAndComputesAVerdict(@TempDir Path dir) {
    CliRunner.Run r = CliRunner.run("run", "degradation", "--backends", "reference", "--no-progress", "--results",
        dir.toString(), "--set", "data=[synthetic-1x8x8-n200]", "--set", "depths=[8, 14]", "--set", "seeds=[0, 1]",
        "--set", "training.steps=20", "--set", "training.batch=16", "--set", "training.evalEvery=10",
        "--set", "training.checkpointEvery=10", "--set", "responseExamples=20", "--set", "evalExamples=0",
        "--set", "testExamples=0");
    assertEquals(0, r.code(), r.out() + r.err());
    RunRecord rec = new ResultsStore(dir).list().get(0);
    assertEquals(RunStatus.PASSED, rec.status());
    DegradationData d = (DegradationData) rec.data();
    assertEquals(2 * 2 * 2, d.runs().size(), "families x depths x seeds");
    assertEquals(8, d.responses().size());
    DegradationData.LayerResponses plain8 = d.responses().stream().filter(x -> x.family().equals("plain")
        && x.depth() == 8).findFirst().orElseThrow();
    assertEquals(7, plain8.std().length, "an 8-layer net has 7 3x3 convolutions (the 8th weighted layer is the FC)");
    assertTrue(plain8.std()[0] > 0);
    assertEquals(1, d.verdicts().size());
    assertEquals(2, d.verdicts().get(0).trends().size());
    assertTrue(d.verdicts().get(0).text().contains("Spearman"), d.verdicts().get(0).text());
    assertFalse(d.paperComparable(), "synthetic data is not CIFAR-10");
    assertTrue(Files.isRegularFile(dir.resolve(rec.id()).resolve(d.runs().get(0).checkpoint())));
  }

  @Test
  void depthsOutsideTheFamilyAreRefusedNamingTheAllowedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DegradationConfig(
        List.of("plain", "resnet"), List.of(20, 21), List.of("fashion-mnist"), List.of(0L), SETTINGS, 0, 0, 0, 10));
    assertTrue(e.getMessage().contains("21") && e.getMessage().contains("6n+2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new DegradationConfig(List.of("vgg"), List.of(20),
        List.of("fashion-mnist"), List.of(0L), SETTINGS, 0, 0, 0, 10));
    assertTrue(e.getMessage().contains("families=[vgg]"), e.getMessage());
  }

  @Test
  void anAbsentDataSetIsBadInputBeforeAnyWork(@TempDir Path dir) {
    CliRunner.Run r = CliRunner.run("run", "degradation", "--backends", "reference", "--no-progress", "--results",
        dir.toString(), "--set", "data=[cifar10]", "--data-dir", dir.resolve("empty").toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("cifar10") && r.err().contains("resbench data fetch cifar10"), r.err());
  }

  @Test
  void theVerdictFollowsTheFinalTrainingErrors() {
    DegradationConfig cfg = new DegradationConfig(List.of("plain", "resnet"), List.of(8, 20), List.of("x"),
        List.of(0L, 1L), SETTINGS, 0, 0, 0, 10);
    List<TrainedRun> runs = List.of(run("plain-8", 0, 10), run("plain-8", 1, 11), run("plain-20", 0, 30),
        run("plain-20", 1, 31), run("resnet-8", 0, 10), run("resnet-8", 1, 11), run("resnet-20", 0, 8),
        run("resnet-20", 1, 9));
    DegradationData.Verdict v = DegradationExperiment.verdict("b", cfg, runs);
    assertTrue(v.reproduced(), v.text());
    assertTrue(v.trends().get(0).separated(), "10.5 vs 30.5 with spread 0.7 is beyond the intervals");
    assertEquals(1.0, v.trends().get(0).spearman(), 0.2);
    List<TrainedRun> flat = List.of(run("plain-8", 0, 10), run("plain-8", 1, 11), run("plain-20", 0, 9),
        run("plain-20", 1, 10), run("resnet-8", 0, 10), run("resnet-8", 1, 11), run("resnet-20", 0, 8),
        run("resnet-20", 1, 9));
    assertFalse(DegradationExperiment.verdict("b", cfg, flat).reproduced(), "plain nets must degrade");
  }

  @Test
  void responsesAreTakenAfterTheBatchNormOfEvery3x3Convolution() {
    List<String> probes = DegradationExperiment.responseProbes(SpecNames.build("resnet-14"));
    assertEquals(13, probes.size());
    assertEquals("stem/1", probes.get(0));
    assertTrue(probes.contains("block0/branch/1") && probes.contains("block0/branch/4"), probes.toString());
  }

  private static TrainedRun run(String group, long seed, double finalTrainError) {
    TrainingHistory h = new TrainingHistory(new float[] {1f}, new float[] {0.1f}, new float[] {(float) finalTrainError},
        new float[] {0.01f}, new short[] {1}, List.of(new TrainingHistory.Evaluation(1, finalTrainError, 50, 1)));
    return new TrainedRun(group + "-b-s" + seed, group, group, "b", seed, 8, 1, TrainedRun.COMPLETED, null, h, 50.0,
        1.0, null, null, List.of());
  }
}
