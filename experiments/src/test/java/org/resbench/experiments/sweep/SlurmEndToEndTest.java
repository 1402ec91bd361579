package org.resbench.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.cli.CliRunner;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;

/**
 * {@code resbench sweep submit --slurm} for real: a single-node Slurm cluster started by {@code .ci/slurm-local.sh}
 * (Debian's slurm-wlm and munge, as root, without cgroups, all state in a temporary folder) runs a four-cell sweep
 * as a two-task array and a dependent merge job; the merged run set must equal a single-process run of the same
 * sweep number for number (the cells are deterministic: shattered-gradients on the float64 reference backend).
 * Skips, saying why, where Slurm is not installed or the tests do not run as root; stops the daemons it started.
 */
class SlurmEndToEndTest {

  @Test
  void aSweepThroughSlurmEqualsASingleProcessRun(@TempDir Path dir) throws Exception {
    Path script = projectRoot().resolve(".ci").resolve("slurm-local.sh");
    assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "Slurm test: Linux only");
    assumeTrue(Files.isExecutable(script), "Slurm test: " + script + " is missing");
    List<String> missing = new ArrayList<>();
    for (String tool : List.of("sbatch", "sinfo", "scontrol", "slurmctld", "slurmd", "munged")) {
      if (!onPath(tool)) {
        missing.add(tool);
      }
    }
    assumeTrue(missing.isEmpty(), "Slurm test skipped: " + missing + " not installed (Debian: apt-get install"
        + " slurm-wlm munge, or .ci/slurm-local.sh install; .ci/run installs them)");
    assumeTrue("root".equals(System.getProperty("user.name")), "Slurm test skipped: the local cluster runs its"
        + " daemons as root without cgroups, and these tests run as " + System.getProperty("user.name"));

    Path state = dir.resolve("slurm");
    Shell start = Shell.run(List.of(script.toString(), "start", state.toString()), Map.of(), 120);
    try {
      assertEquals(0, start.code(), "the local Slurm cluster did not start:\n" + start.out());
      Path conf = state.resolve("slurm.conf");
      Path file = Sweeps.write(dir, "mini.yaml", Sweeps.MINI);
      Path work = dir.resolve("work");
      long t0 = System.nanoTime();
      Shell submit = Shell.run(Sweeps.javaMain("sweep", "submit", file.toString(), "--slurm", "--shards", "2",
          "--time", "10:00", "--results", work.toString(), "--wait"), Map.of("SLURM_CONF", conf.toString()), 600);
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertEquals(0, submit.code(), "sweep submit failed:\n" + submit.out() + logs(work));
      assertTrue(submit.out().contains("submitted array job"), submit.out());
      System.out.printf(Locale.ROOT, "SlurmEndToEndTest: submit to merged report in %.1f s%n", seconds);

      Path merged = work.resolve("merged");
      RunRecord summary = new ResultsStore(merged).get("mini--sweep");
      assertEquals(RunStatus.PASSED, summary.status(), summary.messages().toString());
      SweepData d = (SweepData) summary.data();
      assertEquals(4, d.cells().size());
      assertTrue(d.cells().stream().allMatch(e -> e.where().contains("Slurm job")), d.cells().toString());
      assertEquals(2, d.cells().stream().map(SweepData.Entry::shard).distinct().count());
      assertTrue(Files.readString(work.resolve("report.html")).contains("id=\"run-mini--sweep\""));

      Path single = dir.resolve("single");
      CliRunner.Run one = CliRunner.run("sweep", "run", file.toString(), "--results", single.toString(),
          "--no-progress");
      assertEquals(0, one.code(), one.out() + one.err());
      Map<String, String> expected = Sweeps.dataByCell(single);
      assertEquals(4, expected.size());
      assertEquals(expected, Sweeps.dataByCell(merged), "the Slurm run differs from the single-process run");

      // A failing shard (its backend is unavailable: exit 3) cancels the dependent merge job, and submit says so.
      Path bad = Sweeps.write(dir, "bad.yaml", Sweeps.MINI.replace("[reference]", "[ort-cuda]"));
      Shell failed = Shell.run(Sweeps.javaMain("sweep", "submit", bad.toString(), "--slurm", "--shards", "2",
          "--results", dir.resolve("work-bad").toString(), "--wait"), Map.of("SLURM_CONF", conf.toString()), 600);
      assertEquals(1, failed.code(), failed.out());
      assertTrue(failed.out().contains("ended CANCELLED"), failed.out());
      assertTrue(Files.readString(dir.resolve("work-bad").resolve("slurm").resolve("shard-0.log"))
          .contains("ort-cuda"));
    } finally {
      Shell stop = Shell.run(List.of(script.toString(), "stop", state.toString()), Map.of(), 60);
      assertEquals(0, stop.code(), "stopping the local cluster failed:\n" + stop.out());
    }
  }

  private static String logs(Path work) throws IOException {
    StringBuilder s = new StringBuilder();
    Path slurm = work.resolve("slurm");
    if (Files.isDirectory(slurm)) {
      try (var files = Files.list(slurm)) {
        for (Path p : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
          s.append("\n--- ").append(p).append('\n').append(Files.readString(p));
        }
      }
    }
    return s.toString();
  }

  static boolean onPath(String tool) {
    for (String d : (System.getenv("PATH") + ":/usr/sbin:/sbin").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  static Path projectRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve(".ci"))) {
      p = p.getParent();
    }
    return p != null ? p : Path.of("").toAbsolutePath();
  }

  /** A finished child process: exit code and its output (stdout and stderr together). */
  record Shell(int code, String out) {
    static Shell run(List<String> cmd, Map<String, String> env, int timeoutSeconds) throws Exception {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().putAll(env);
      Path log = Files.createTempFile("resbench-child", ".log");
      pb.redirectOutput(log.toFile());
      Process p = pb.start();
      try {
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return new Shell(-1, "timed out after " + timeoutSeconds + " s: " + cmd + "\n"
              + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Shell(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
      } finally {
        p.destroyForcibly();
        Files.deleteIfExists(log);
      }
    }
  }
}
