package org.resbench.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.cli.CliRunner;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;

/**
 * A sweep killed with SIGKILL in the middle resumes where it stopped: the finished cells' records are kept as they
 * were, only the unfinished cells run again, and the result equals an uninterrupted run of the same sweep.
 */
class SweepResumeTest {
  /** Cells of a few seconds each on the reference backend, so the kill lands while cells remain. */
  private static final String SLOW = Sweeps.MINI.replace("depths: [1, 4]", "depths: [1, 8, 16]")
      .replace("points: 32", "points: 128").replace("width: [16, 32]", "width: [64, 80, 96]");

  @Test
  void resumeAfterAKilledJvmRedoesOnlyTheUnfinishedCells(@TempDir Path dir) throws Exception {
    Path file = Sweeps.write(dir, "slow.yaml", SLOW);
    SweepPlan plan = SweepPlan.of(SweepDefinition.read(file));
    Path results = dir.resolve("results");
    Path log = dir.resolve("child.log");
    Process child = new ProcessBuilder(Sweeps.javaMain("sweep", "run", file.toString(), "--results",
        results.toString(), "--no-progress")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ResultsStore store = new ResultsStore(results);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (store.list().isEmpty() && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(child.isAlive(), "the child ended before it could be killed: " + Files.readString(log));
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }
    List<RunRecord> before = store.list();
    int finished = before.size();
    assertTrue(finished >= 1 && finished < plan.cells().size(), finished + " of " + plan.cells().size()
        + " cells finished before the kill; log: " + Files.readString(log));
    Map<String, String> kept = new HashMap<>();
    for (RunRecord r : before) {
      kept.put(r.id(), Files.readString(results.resolve(r.id()).resolve(ResultsStore.RECORD_FILE)));
    }

    CliRunner.Run again = CliRunner.run("sweep", "run", file.toString(), "--results", results.toString(),
        "--no-progress");
    assertEquals(2, again.code(), "without --resume a recorded cell is an error: " + again.out());
    assertTrue(again.err().contains("--resume"), again.err());

    CliRunner.Run resumed = CliRunner.run("sweep", "run", file.toString(), "--results", results.toString(),
        "--no-progress", "--resume");
    assertEquals(0, resumed.code(), resumed.out() + resumed.err());
    int todo = plan.cells().size() - finished;
    assertTrue(resumed.out().contains(finished + " recorded, " + todo + " to run"), resumed.out());
    assertEquals(todo, resumed.out().lines().filter(l -> l.contains("] cell ")).count(), resumed.out());
    for (Map.Entry<String, String> e : kept.entrySet()) {
      assertEquals(e.getValue(), Files.readString(results.resolve(e.getKey()).resolve(ResultsStore.RECORD_FILE)),
          "a finished cell was redone: " + e.getKey());
    }
    assertEquals(plan.cells().size(), store.list().size());

    CliRunner.Run nothingLeft = CliRunner.run("sweep", "run", file.toString(), "--results", results.toString(),
        "--no-progress", "--resume");
    assertEquals(0, nothingLeft.code());
    assertTrue(nothingLeft.out().contains(plan.cells().size() + " recorded, 0 to run"), nothingLeft.out());

    // The interrupted and resumed sweep equals an uninterrupted one, number for number.
    Path single = dir.resolve("single");
    assertEquals(0, CliRunner.run("sweep", "run", file.toString(), "--results", single.toString(), "--no-progress")
        .code());
    assertEquals(Sweeps.dataByCell(single), Sweeps.dataByCell(results));
  }
}
