package org.resbench.experiments.resnext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.cli.CliRunner;
import org.resbench.experiments.ImageData;
import org.resbench.experiments.ImageSources;
import org.resbench.experiments.training.TrainingSettings;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;

class ResNeXtTest {
  private static final TrainingSettings S = new TrainingSettings(10, 0, 8, 0.1, "step", null, 0.1, 0, 0.01, 0.9,
      5e-4, false, 5, 5, true);
  private static final ImageData DATA = ImageSources.loadFirstPresent(List.of("synthetic-1x32x32-n40"), null,
      m -> { });

  @Test
  void widthsComeFromTheCostModelWithinTheTolerance() {
    ResNeXtConfig cfg = new ResNeXtConfig(29, List.of(1, 2, 4, 8), 64, "params", 0.05, List.of("x"), List.of(0L), S,
        0, 0);
    List<ResNeXtData.Design> ds = ResNeXtExperiment.designs(cfg, DATA);
    assertEquals(List.of(64, 40, 24, 14), ds.stream().map(ResNeXtData.Design::width).toList(),
        "Xie et al.'s equal-complexity pairs (1x64d, 2x40d, 4x24d, 8x14d) follow from the cost model");
    assertTrue(ds.stream().allMatch(d -> Math.abs(d.deviation()) <= 0.05), ds.toString());
  }

  @Test
  void anUnreachableComplexityTargetIsBadInputNamingTheBestWidth() {
    ResNeXtConfig cfg = new ResNeXtConfig(11, List.of(1, 64), 2, "params", 0.001, List.of("x"), List.of(0L), S, 0, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ResNeXtExperiment.designs(cfg, DATA));
    assertTrue(e.getMessage().contains("cardinality 64") && e.getMessage().contains("best: d="), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ResNeXtConfig(11, List.of(2, 4), 16, "params", 0.1,
        List.of("x"), List.of(0L), S, 0, 0));
    assertTrue(e.getMessage().contains("starting with 1"), e.getMessage());
  }

  @Test
  void aSmallRunTrainsEveryCardinalityAndStatesAVerdict(@TempDir Path dir) {
    CliRunner.Run r = CliRunner.run("run", "resnext", "--backends", "reference", "--no-progress", "--results",
        dir.toString(), "--set", "data=[synthetic-1x8x8-n100]", "--set", "cardinalities=[1, 2]", "--set",
        "referenceWidth=4", "--set", "tolerance=0.2", "--set", "training.steps=8", "--set", "training.batch=8",
        "--set", "training.evalEvery=4", "--set", "training.checkpointEvery=4", "--set", "evalExamples=0", "--set",
        "testExamples=0");
    assertEquals(0, r.code(), r.out() + r.err());
    RunRecord rec = new ResultsStore(dir).list().get(0);
    assertEquals(RunStatus.PASSED, rec.status());
    ResNeXtData d = (ResNeXtData) rec.data();
    assertEquals(2, d.designs().size());
    assertEquals(2 * 2, d.runs().size(), "two cardinalities, two seeds");
    assertTrue(d.verdicts().get(0).contains("Spearman"), d.verdicts().toString());
  }
}
