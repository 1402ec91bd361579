package org.resbench.experiments.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.resbench.harness.io.AtomicFiles;

/**
 * A sweep as Slurm jobs: an {@code sbatch} array script whose task {@code I} runs shard {@code I/N} (from
 * {@code SLURM_ARRAY_TASK_ID}) into its own results folder with resume (a requeued task continues), and a merge
 * script submitted with {@code --dependency=afterok:ARRAY} that joins the shards and writes the report. Everything
 * lives in one work folder on the file system the nodes share:
 *
 * <pre>
 * WORK/NAME.yaml             the sweep file as submitted (shards read this copy, so later edits do not mix in)
 * WORK/slurm/array.sbatch    the array job       WORK/slurm/shard-I.log   its tasks' output
 * WORK/slurm/merge.sbatch    the merge job       WORK/slurm/merge.log     its output
 * WORK/shards/I/             shard I's run records
 * WORK/merged/               the merged run set  WORK/report.html         its report
 * </pre>
 *
 * resbench schedules nothing itself: it writes the scripts and calls {@code sbatch}. Stateless.
 */
public final class SlurmSubmission {
  private SlurmSubmission() {}

  /**
   * What to ask Slurm for. Immutable.
   *
   * @param shards array tasks (one shard each)
   * @param partition {@code --partition}, or null for the cluster's default
   * @param time {@code --time} per task (Slurm's formats, e.g. {@code 30:00}), or null
   * @param cpusPerTask {@code --cpus-per-task}, or 0 for the default
   * @param extra further {@code #SBATCH} options for both jobs (e.g. {@code --account=proj}), as given
   */
  public record Options(int shards, String partition, String time, int cpusPerTask, List<String> extra) {
    public Options {
      if (shards < 1) {
        throw new IllegalArgumentException("--shards=" + shards + "; allowed: 1 or more");
      }
      if (cpusPerTask < 0) {
        throw new IllegalArgumentException("--cpus-per-task=" + cpusPerTask + "; allowed: 1 or more");
      }
      extra = extra == null ? List.of() : List.copyOf(extra);
      for (String e : extra) {
        if (!e.startsWith("--") || e.contains("\n")) {
          throw new IllegalArgumentException("--sbatch '" + e + "'; allowed: one sbatch long option such as"
              + " --account=proj");
        }
      }
    }
  }

  /**
   * The written scripts.
   *
   * @param work the work folder
   * @param array the array script's path
   * @param merge the merge script's path
   * @param arrayText its content
   * @param mergeText its content
   * @param report where the merge job writes the report
   */
  public record Scripts(Path work, Path array, Path merge, String arrayText, String mergeText, Path report) {
    /** The merged run set's folder. */
    public Path merged() {
      return work.resolve("merged");
    }
  }

  /**
   * Writes the work folder's sweep copy and both scripts.
   *
   * @param launcher the command that runs resbench on a node, as shell words (e.g. the project's
   *     {@code resbench} launcher, or {@code java @ARGFILE org.resbench.cli.Main}); each word is quoted
   */
  public static Scripts write(SweepPlan plan, Path sweepFile, Path work, Options o, List<String> launcher) {
    if (!work.toString().matches("[^\\s'\"\\\\$`]+")) {
      throw new IllegalArgumentException("work folder '" + work + "'; allowed: a path without spaces, quotes, '$',"
          + " '`' or backslashes (sbatch reads it from #SBATCH lines)");
    }
    if (o.shards() > plan.cells().size()) {
      throw new IllegalArgumentException("--shards " + o.shards() + " for " + plan.cells().size() + " cells; allowed:"
          + " at most one shard per cell");
    }
    Path merged = work.resolve("merged");
    if (Files.isDirectory(merged) && list(merged) > 0) {
      throw new IllegalArgumentException(merged + " already holds a merged run set of this sweep; allowed: another"
          + " --results folder for a new submission");
    }
    try {
      Files.createDirectories(work.resolve("slurm"));
      Files.createDirectories(work.resolve("shards"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the work folder " + work + ": " + e.getMessage(), e);
    }
    // Named after the sweep, so a file without a 'name' key keeps its name (the file's stem) in the copy.
    Path copy = work.resolve(plan.definition().name() + ".yaml");
    try {
      AtomicFiles.writeString(copy, Files.readString(sweepFile, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + sweepFile + ": " + e.getMessage(), e);
    }
    String copied = SweepPlan.of(SweepDefinition.read(copy)).hash();
    if (!copied.equals(plan.hash())) {
      throw new IllegalStateException("the copy " + copy + " plans as " + copied + ", not " + plan.hash());
    }
    String name = plan.definition().name();
    String run = String.join(" ", launcher.stream().map(SlurmSubmission::quote).toList());
    int n = o.shards();
    StringBuilder a = new StringBuilder("#!/bin/bash\n");
    a.append("#SBATCH --job-name=").append(quote("resbench-" + name)).append('\n');
    a.append("#SBATCH --array=0-").append(n - 1).append('\n');
    a.append("#SBATCH --output=").append(quote(work.resolve("slurm").resolve("shard-%a.log").toString())).append('\n');
    options(a, o, true);
    a.append("# resbench sweep ").append(name).append(" (plan ").append(plan.hash()).append(", ")
        .append(plan.cells().size()).append(" cells): array task I runs shard I/").append(n)
        .append(" into shards/I; a requeued task resumes.\n");
    a.append("set -euo pipefail\n");
    a.append("export ORT_DISABLE_TELEMETRY=1 RESBENCH_SKIP_BUILD=1\n");
    a.append("shard=\"${SLURM_ARRAY_TASK_ID:?this script runs as a Slurm array task}\"\n");
    a.append("exec ").append(run).append(" sweep run ").append(quote(copy.toString())).append(" --shard \"$shard/")
        .append(n).append("\" --resume --no-progress --results ")
        .append(quote(work.resolve("shards").toString())).append("/\"$shard\"\n");

    Path report = work.resolve("report.html");
    StringBuilder m = new StringBuilder("#!/bin/bash\n");
    m.append("#SBATCH --job-name=").append(quote("resbench-" + name + "-merge")).append('\n');
    m.append("#SBATCH --output=").append(quote(work.resolve("slurm").resolve("merge.log").toString())).append('\n');
    options(m, o, false);
    m.append("# Runs after every array task succeeded (--dependency=afterok): joins the shards, writes the report.\n");
    m.append("set -euo pipefail\n");
    m.append("export ORT_DISABLE_TELEMETRY=1 RESBENCH_SKIP_BUILD=1\n");
    m.append("status=0\n");
    m.append(run).append(" sweep merge");
    for (int i = 0; i < n; i++) {
      m.append(' ').append(quote(work.resolve("shards").resolve(String.valueOf(i)).toString()));
    }
    m.append(" --out ").append(quote(merged.toString())).append(" || status=$?\n");
    m.append("# 1: merged, but some cell did not pass; the report is written either way.\n");
    m.append("if [ \"$status\" -le 1 ]; then\n  ").append(run).append(" report --all --results ")
        .append(quote(merged.toString())).append(" --out ").append(quote(report.toString())).append('\n');
    m.append("fi\nexit \"$status\"\n");
    Path arrayPath = work.resolve("slurm").resolve("array.sbatch");
    Path mergePath = work.resolve("slurm").resolve("merge.sbatch");
    AtomicFiles.writeString(arrayPath, a.toString());
    AtomicFiles.writeString(mergePath, m.toString());
    for (Path p : List.of(arrayPath, mergePath)) {
      try {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      } catch (IOException | UnsupportedOperationException e) {
        // sbatch reads the script; the execute bit only helps a person run it by hand.
      }
    }
    return new Scripts(work, arrayPath, mergePath, a.toString(), m.toString(), report);
  }

  private static void options(StringBuilder s, Options o, boolean array) {
    if (o.partition() != null) {
      s.append("#SBATCH --partition=").append(quote(o.partition())).append('\n');
    }
    if (o.time() != null) {
      s.append("#SBATCH --time=").append(quote(o.time())).append('\n');
    }
    if (array && o.cpusPerTask() > 0) {
      s.append("#SBATCH --cpus-per-task=").append(o.cpusPerTask()).append('\n');
    }
    if (!array) {
      s.append("#SBATCH --cpus-per-task=1\n");
    }
    for (String e : o.extra()) {
      s.append("#SBATCH ").append(e).append('\n');
    }
  }

  /** The sbatch commands that {@link #submit} runs, for a dry run ({@code ARRAY_JOB} stands for the job id). */
  public static List<String> commands(Scripts s) {
    return List.of("sbatch --parsable " + quote(s.array().toString()),
        "sbatch --parsable --kill-on-invalid-dep=yes --dependency=afterok:ARRAY_JOB " + quote(s.merge().toString()));
  }

  /**
   * Submitted jobs.
   *
   * @param arrayJob the array job's id
   * @param mergeJob the merge job's id
   */
  public record Jobs(String arrayJob, String mergeJob) {}

  /**
   * Submits the array job, then the merge job depending on it (cancelled if a task fails:
   * {@code --kill-on-invalid-dep=yes}).
   *
   * @throws SlurmUnavailableException when {@code sbatch} cannot be run
   */
  public static Jobs submit(Scripts s) {
    String array = jobId(run("sbatch", List.of("--parsable", s.array().toString())));
    String merge = jobId(run("sbatch", List.of("--parsable", "--kill-on-invalid-dep=yes",
        "--dependency=afterok:" + array, s.merge().toString())));
    return new Jobs(array, merge);
  }

  /** The states in which a Slurm job has ended. */
  static final java.util.Set<String> ENDED = java.util.Set.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT",
      "NODE_FAIL", "PREEMPTED", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "REVOKED");

  /**
   * Waits until {@code job} has ended, asking {@code scontrol show job} every second at first and less often
   * later (every 15 s after ten minutes), and returns its final state ({@code COMPLETED} when it succeeded), or
   * {@code UNKNOWN} when the controller no longer knows the job (it forgets ended jobs after {@code MinJobAge}).
   * Unlike {@code sbatch --wait}, this returns as soon as the job ends and tells a cancelled job from a finished one.
   */
  public static String waitFor(String job) {
    long start = System.nanoTime();
    while (true) {
      String out;
      try {
        out = run("scontrol", List.of("show", "job", "-o", job));
      } catch (IllegalStateException e) {
        if (e.getMessage().contains("Invalid job id")) {
          return "UNKNOWN";
        }
        throw e;
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("JobState=(\\w+)").matcher(out);
      if (m.find() && ENDED.contains(m.group(1))) {
        return m.group(1);
      }
      double waited = (System.nanoTime() - start) / 1e9;
      try {
        Thread.sleep(waited < 30 ? 1_000 : waited < 600 ? 5_000 : 15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Slurm job " + job, e);
      }
    }
  }

  /** Thrown when Slurm's client commands are missing or cannot reach a controller. */
  public static final class SlurmUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SlurmUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Runs a Slurm client command and returns its output; a missing command or controller is "unavailable". */
  private static String run(String command, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(command);
    cmd.addAll(args);
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new SlurmUnavailableException("cannot run " + command + " (" + e.getMessage() + "): Slurm's client"
          + " commands are not installed here; submit from a cluster login node, or use --dry-run to see the scripts",
          e);
    }
    try {
      byte[] out = p.getInputStream().readAllBytes();
      p.waitFor(10, TimeUnit.MINUTES);
      String text = new String(out, StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0) {
        if (text.contains("Unable to contact slurm controller") || text.contains("Invalid user for SlurmUser")
            || text.contains("Could not establish a configuration source")) {
          throw new SlurmUnavailableException(command + " cannot reach a Slurm controller: " + text, null);
        }
        throw new IllegalStateException(command + " " + String.join(" ", args) + " exited with " + p.exitValue()
            + ": " + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + command + "'s output: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroy();
      throw new IllegalStateException("interrupted while " + command + " ran", e);
    }
  }

  /** The job id from {@code sbatch --parsable}'s output ({@code ID} or {@code ID;CLUSTER}, on the last line). */
  static String jobId(String out) {
    String[] lines = out.trim().split("\n");
    String last = lines[lines.length - 1].trim();
    String id = last.split(";")[0].trim();
    if (!id.matches("\\d+")) {
      throw new IllegalStateException("sbatch printed no job id: '" + out + "'");
    }
    return id;
  }

  /** A word for bash: as is when it is plain, else single-quoted. */
  static String quote(String word) {
    if (word.matches("[A-Za-z0-9_@%+=:,./-]+")) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  private static long list(Path dir) {
    try (var s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
    } catch (IOException e) {
      return 0;
    }
  }
}
