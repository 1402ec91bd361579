package org.resbench.experiments.stochastic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.cli.CliRunner;
import org.resbench.experiments.training.TrainingSettings;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;

class StochasticDepthTest {

  @Test
  void aSmallRunComparesBothNetsTimesThemAndDeletesBlocks(@TempDir Path dir) {
    CliRunner.Run r = CliRunner.run("run", "stochastic-depth", "--backends", "reference", "--no-progress",
        "--results", dir.toString(), "--set", "depth=14", "--set", "data=[synthetic-1x8x8-n200]", "--set",
        "training.steps=16", "--set", "training.batch=16", "--set", "training.evalEvery=8", "--set",
        "training.checkpointEvery=8", "--set", "evalExamples=0", "--set", "testExamples=0");
    assertEquals(0, r.code(), r.out() + r.err());
    RunRecord rec = new ResultsStore(dir).list().get(0);
    assertEquals(RunStatus.PASSED, rec.status());
    StochasticDepthData d = (StochasticDepthData) rec.data();
    assertEquals(2 * 2, d.runs().size(), "constant and stochastic, two seeds");
    assertEquals(6, d.blocks());
    assertEquals((3 * 6 - 1) / 4.0, d.expectedDepth(), 1e-9, "Huang et al.: (3L - 1) / 4 for p_L = 0.5");
    assertEquals(2, d.testTime().size(), "test-time gates for each stochastic-depth net");
    assertEquals(4, d.lesions().size());
    assertEquals(6, d.lesions().get(0).errorPercent().length);
    assertEquals(1, d.timing().size());
    StochasticDepthData.Timing t = d.timing().get(0);
    assertTrue(t.meanActiveBlocks() < 6 && t.meanActiveBlocks() > 2, "blocks were dropped: " + t.meanActiveBlocks());
    assertTrue(t.constantSeconds() > 0 && t.stochasticSeconds() > 0);
    assertTrue(d.verdicts().stream().anyMatch(v -> v.contains("saved")), d.verdicts().toString());
  }

  @Test
  void aSurvivalProbabilityOutsideTheUnitIntervalIsRefused() {
    TrainingSettings s = new TrainingSettings(10, 0, 8, 0.1, "step", null, 0.1, 0, 0.01, 0.9, 1e-4, true, 5, 5, true);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StochasticDepthConfig(20, 1.5,
        List.of("x"), List.of(0L), s, 0, 0, true));
    assertTrue(e.getMessage().contains("survival=1.5; allowed: p_L in (0, 1]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new StochasticDepthConfig(21, 0.5, List.of("x"),
        List.of(0L), s, 0, 0, true));
    assertTrue(e.getMessage().contains("depth=21"), e.getMessage());
  }
}
