package org.resbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCliTest {
  private static final String[] SMALL = {"--set", "depths=[1,4]", "--set", "points=32", "--set", "maxLag=8",
      "--set", "width=16", "--set", "convDepths=[]", "--set", "mlpFamilies=[ff-bn,res-bn]"};

  private static String[] args(String... head) {
    String[] all = new String[head.length + SMALL.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(SMALL, 0, all, head.length, SMALL.length);
    return all;
  }

  @Test
  void runThenListShowAndReport(@TempDir Path dir) throws Exception {
    Path results = dir.resolve("results");
    CliRunner.Run r = CliRunner.run(args("run", "shattered-gradients", "--backends", "reference", "--no-progress",
        "--results", results.toString(), "--report", dir.resolve("one.html").toString()));
    assertEquals(ExitCodes.OK, r.code(), r.err());
    assertTrue(r.out().contains("shattered-gradients: PASSED"), r.out());
    assertTrue(Files.size(dir.resolve("one.html")) > 10_000);

    CliRunner.Run list = CliRunner.run("runs", "--results", results.toString(), "--json");
    assertEquals(ExitCodes.OK, list.code(), list.err());
    JsonNode runs = new ObjectMapper().readTree(list.out());
    assertEquals(1, runs.size());
    String id = runs.get(0).get("id").asText();

    CliRunner.Run show = CliRunner.run("runs", "show", id.substring(0, 20), "--results", results.toString());
    assertEquals(ExitCodes.OK, show.code(), show.err());
    JsonNode record = new ObjectMapper().readTree(show.out());
    assertEquals("shattered-gradients", record.get("experiment").asText());
    assertEquals("[1,4]", record.get("provenance").get("config").get("depths").toString());
    assertTrue(record.get("provenance").get("environment").has("cpu"));

    Path html = dir.resolve("latest.html");
    CliRunner.Run rep = CliRunner.run("report", "--latest", "--out", html.toString(), "--results", results.toString());
    assertEquals(ExitCodes.OK, rep.code(), rep.err());
    assertTrue(Files.readString(html).contains(id));
  }

  @Test
  void badInputGetsUsageErrors(@TempDir Path dir) {
    CliRunner.Run r = CliRunner.run("run", "no-such-experiment", "--results", dir.toString());
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("unknown experiment 'no-such-experiment'; allowed: ") && r.err().contains("parity")
        && r.err().contains("shattered-gradients"), r.err());
    r = CliRunner.run("run", "shattered-gradients", "--backends", "tpu", "--results", dir.toString());
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("unknown backend 'tpu'; allowed:"), r.err());
    r = CliRunner.run("run", "shattered-gradients", "--set", "depthz=[1]", "--results", dir.toString());
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("unknown field 'depthz'"), r.err());
    r = CliRunner.run("report", "--out", dir.resolve("x.html").toString(), "--results", dir.toString());
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("no runs chosen"), r.err());
    r = CliRunner.run("runs", "show", "nope", "--results", dir.toString());
    assertEquals(ExitCodes.USAGE, r.code());
  }

  @Test
  void anUnwritableResultsFolderIsAnIoErrorBeforeAnyWork(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("a-file");
    Files.writeString(file, "x");
    CliRunner.Run r = CliRunner.run(args("run", "shattered-gradients", "--backends", "reference", "--no-progress",
        "--results", file.resolve("results").toString()));
    assertEquals(ExitCodes.IO, r.code(), r.err());
    assertTrue(r.err().contains("is not writable"), r.err());
  }

  @Test
  void experimentsListsTheCatalog() {
    CliRunner.Run r = CliRunner.run("experiments");
    assertEquals(ExitCodes.OK, r.code());
    assertTrue(r.out().contains("parity") && r.out().contains("shattered-gradients"));
  }

  @Test
  void trainReportsTestErrorAndDivergenceIsAFailure(@TempDir Path dir) {
    String results = dir.toString();
    CliRunner.Run r = CliRunner.run("train", "mlp-2x32-res-bn", "--backend", "reference", "--data", "synthetic",
        "--steps",
        "30", "--batch", "32", "--eval-every", "0", "--lr", "0.05", "--no-progress", "--results", results);
    assertEquals(ExitCodes.OK, r.code(), r.err());
    assertTrue(r.out().contains("adapted to the data: mlp-2x32-res-bn-in3x32x32-out10"), r.out());
    assertTrue(r.out().contains("test error") && r.out().contains("chance 90%"), r.out());
    CliRunner.Run d = CliRunner.run("train", "mlp-2x32-ff", "--backend", "reference", "--data", "synthetic", "--steps",
        "20", "--batch", "32", "--eval-every", "0", "--lr", "1e6", "--schedule", "constant", "--no-progress",
        "--results", results);
    assertEquals(ExitCodes.FAILURE, d.code(), d.out() + d.err());
    assertTrue(d.out().contains("diverged (loss"), d.out());
    CliRunner.Run bad = CliRunner.run("train", "mlp-2x32-ff", "--backend", "reference", "--schedule", "linear",
        "--data", "synthetic", "--results", results);
    assertEquals(ExitCodes.USAGE, bad.code());
    assertTrue(bad.err().contains("training.schedule=linear; allowed: step, cosine, constant"), bad.err());
    CliRunner.Run both = CliRunner.run("train", "mlp-2x32-ff", "--backend", "reference", "--steps", "5", "--epochs",
        "1",
        "--results", results);
    assertEquals(ExitCodes.USAGE, both.code());
    assertTrue(both.err().contains("--steps 5 and --epochs 1 exclude each other"), both.err());
  }

  @Test
  void resumeRefusesAFinishedRunAnotherConfigAndAnUnknownRun(@TempDir Path dir) throws Exception {
    String results = dir.toString();
    CliRunner.Run r = CliRunner.run("train", "mlp-2x8-res-bn", "--backend", "reference", "--data",
        "synthetic-1x4x4-n40", "--steps", "4", "--batch", "8", "--no-progress", "--results", results);
    assertEquals(ExitCodes.OK, r.code(), r.err());
    String id = new org.resbench.results.ResultsStore(dir).list().get(0).id();
    CliRunner.Run done = CliRunner.run("train", "--resume", id, "--results", results);
    assertEquals(ExitCodes.USAGE, done.code());
    assertTrue(done.err().contains("ended PASSED, so there is nothing to resume"), done.err());
    Path json = dir.resolve(id).resolve("run.json");
    Files.writeString(json, Files.readString(json).replace("\"status\" : \"PASSED\"", "\"status\" : \"UNFINISHED\""));
    CliRunner.Run other = CliRunner.run("train", "--resume", id, "--lr", "0.5", "--results", results);
    assertEquals(ExitCodes.USAGE, other.code());
    assertTrue(other.err().contains("made from another configuration") && other.err().contains("training"),
        other.err());
    CliRunner.Run threads = CliRunner.run("train", "--resume", id, "--threads", "7", "--results", results);
    assertEquals(ExitCodes.USAGE, threads.code());
    assertTrue(threads.err().contains("--threads 7"), threads.err());
    Files.writeString(json, Files.readString(json).replaceAll("(?s)\"data\" : \\{.*\\n  \\}", "\"data\" : null"));
    try (var walk = Files.walk(dir.resolve(id).resolve("checkpoints"))) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    CliRunner.Run none = CliRunner.run("train", "--resume", id, "--results", results);
    assertEquals(ExitCodes.USAGE, none.code(), none.out() + none.err());
    assertTrue(none.err().contains("before its first checkpoint"), none.err());
    CliRunner.Run unknown = CliRunner.run("train", "--resume", "nope", "--results", results);
    assertEquals(ExitCodes.USAGE, unknown.code());
    CliRunner.Run wrongKind = CliRunner.run("run", "degradation", "--resume", id, "--results", results);
    assertEquals(ExitCodes.USAGE, wrongKind.code());
    assertTrue(wrongKind.err().contains("is a 'train' run"), wrongKind.err());
  }
}
