package org.resbench.experiments.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.resbench.cli.CliRunner;
import org.resbench.cli.Main;
import org.resbench.experiments.training.TrainedRun;
import org.resbench.harness.backend.Backends;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;

/**
 * The resume guarantee: a training run killed with SIGKILL (a child JVM) after a checkpoint and resumed with
 * {@code --resume} ends with the same weights hash, the same per-step losses and the same test error as the
 * uninterrupted run, bit for bit, on every training backend. A stochastic-depth net, so the gates' streams are
 * part of what must continue exactly. The resumed run is not told the thread count: it must keep the one the run
 * was made with (PyTorch's sums differ in the last bit between one and two threads).
 */
class KillAndResumeTest {

  private static String[] args(String backend, int steps, Path results) {
    return new String[] {"train", "resnet-8-sd", "--backend", backend, "--data", "synthetic-1x8x8-n400", "--steps",
        String.valueOf(steps), "--batch", "16", "--checkpoint-every", "10", "--eval-every", "20", "--threads", "1",
        "--no-progress", "--results", results.toString()};
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"reference", "ort-cpu", "djl-pytorch-cpu"})
  void aKilledRunResumedEndsWithTheSameWeightsAsAnUninterruptedOne(String backend, @TempDir Path dir)
      throws Exception {
    assumeTrue(Backends.discover().get(backend).probe().available(), () -> backend + " is unavailable here: "
        + Backends.discover().get(backend).probe().unavailableReason());
    int steps = 120;
    Path killed = dir.resolve("killed");
    RunRecord interrupted = null;
    for (int attempt = 0; attempt < 4 && interrupted == null; attempt++, steps *= 2) {
      interrupted = killAfterACheckpoint(args(backend, steps, killed.resolve("a" + attempt)), killed.resolve("a"
          + attempt));
    }
    assertTrue(interrupted != null, "could not kill the child between a checkpoint and the end in 4 attempts");
    Path resultsOfKilled = findRoot(killed, interrupted.id());
    assertEquals(RunStatus.UNFINISHED, interrupted.status(), "the killed run's record says it did not finish");

    CliRunner.Run resumed = CliRunner.run("train", "--resume", interrupted.id().substring(0, 22), "--no-progress",
        "--results", resultsOfKilled.toString());
    assertEquals(0, resumed.code(), resumed.out() + resumed.err());
    TrainedRun after = only(new ResultsStore(resultsOfKilled).get(interrupted.id()));
    assertFalse(after.resumedAt().isEmpty(), "the record notes the resumption");

    Path whole = dir.resolve("whole");
    CliRunner.Run uninterrupted = CliRunner.run(args(backend, after.totalSteps(), whole));
    assertEquals(0, uninterrupted.code(), uninterrupted.out() + uninterrupted.err());
    TrainedRun reference = only(new ResultsStore(whole).list().get(0));

    assertArrayEquals(reference.history().loss(), after.history().loss(), "every step's loss (resumed at "
        + after.resumedAt() + ")");
    assertEquals(reference.weightsHash(), after.weightsHash(), "weights after resume, bit for bit");
    assertArrayEquals(reference.history().activeBlocks(), after.history().activeBlocks(), "every step's gates");
    assertEquals(reference.testErrorPercent(), after.testErrorPercent());
    assertEquals(reference.history().evaluations(), after.history().evaluations());
  }

  /** Starts the run in a child JVM, kills it (SIGKILL) once a checkpoint exists; null if it finished first. */
  private static RunRecord killAfterACheckpoint(String[] args, Path results) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Djava.awt.headless=true", "-Dai.djl.offline=true",
        Main.class.getName()));
    cmd.addAll(List.of(args));
    Files.createDirectories(results);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(results.resolveSibling(
        results.getFileName() + ".log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    try {
      while (System.nanoTime() < deadline && p.isAlive()) {
        if (hasCheckpoint(results)) {
          p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
          p.waitFor(30, TimeUnit.SECONDS);
          RunRecord r = new ResultsStore(results).list().get(0);
          return r.status() == RunStatus.UNFINISHED ? r : null;
        }
        Thread.sleep(5);
      }
      return null;
    } finally {
      p.destroyForcibly();
    }
  }

  private static boolean hasCheckpoint(Path results) throws Exception {
    if (!Files.isDirectory(results)) {
      return false;
    }
    try (Stream<Path> s = Files.walk(results)) {
      return s.anyMatch(f -> f.getFileName().toString().matches("step-\\d+\\.npz"));
    } catch (java.io.UncheckedIOException | java.io.IOException racedWithARename) {
      return false; // the store renamed a folder while we looked: look again
    }
  }

  private static Path findRoot(Path killed, String id) throws Exception {
    try (Stream<Path> s = Files.walk(killed, 2)) {
      return s.filter(f -> f.getFileName().toString().equals(id)).findFirst().orElseThrow().getParent();
    }
  }

  private static TrainedRun only(RunRecord r) {
    List<TrainedRun> runs = ((TrainData) r.data()).runs();
    assertEquals(1, runs.size());
    return runs.get(0);
  }
}
