package org.resbench.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.resbench.experiments.sweep.Launcher;
import org.resbench.experiments.sweep.SlurmSubmission;
import org.resbench.experiments.sweep.SweepDefinition;
import org.resbench.experiments.sweep.SweepPlan;
import org.resbench.results.ResultsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Submits a sweep to Slurm. */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = "Write an sbatch array script (array task I runs shard I/N with --resume) and a merge script, submit"
        + " the array, then the merge job with --dependency=afterok on it; the merge job joins the shards and writes"
        + " WORK/report.html. The work folder must be on a file system the nodes share. --dry-run writes and prints the"
        + " scripts and submits nothing. Exit 3 when Slurm's commands are missing or cannot reach a controller.")
final class SweepSubmitCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Parameters(index = "0", paramLabel = "FILE", description = "The sweep file (YAML).")
  Path file;

  @Option(names = "--slurm", description = "Submit to Slurm (the scheduler resbench submits to; for Kubernetes see"
      + " the README).")
  boolean slurm;

  @Option(names = "--shards", paramLabel = "N", description = "Array tasks, one shard each (default: the smaller of 4"
      + " and the number of cells).")
  Integer shards;

  @Option(names = "--partition", paramLabel = "P", description = "sbatch --partition.")
  String partition;

  @Option(names = "--time", paramLabel = "T", description = "sbatch --time per task, e.g. 30:00.")
  String time;

  @Option(names = "--cpus-per-task", paramLabel = "C", defaultValue = "0", description = "sbatch --cpus-per-task of"
      + " the array's tasks.")
  int cpusPerTask;

  @Option(names = "--sbatch", paramLabel = "OPTION", description = "Another #SBATCH option for both jobs, e.g."
      + " --sbatch=--account=proj (repeatable).")
  List<String> extra;

  @Option(names = "--results", paramLabel = "WORK", description = "The work folder, shared with the nodes (default:"
      + " ~/.resbench/sweeps/NAME-PLAN).")
  Path work;

  @Option(names = "--launcher", paramLabel = "CMD", description = "How a node runs resbench (default: this"
      + " installation's ./resbench launcher, else this JVM with its class path).")
  String launcher;

  @Option(names = "--dry-run", description = "Write and print the scripts and the sbatch commands; submit nothing.")
  boolean dryRun;

  @Option(names = "--wait", description = "Wait until the merge job has ended, then check its report.")
  boolean waitForMerge;

  @Override
  public Integer call() {
    if (!slurm) {
      throw new IllegalArgumentException("no scheduler chosen; allowed: --slurm (for Kubernetes, the README has an"
          + " Indexed Job example)");
    }
    PrintWriter out = cmd.commandLine().getOut();
    SweepPlan plan = SweepPlan.of(SweepDefinition.read(file));
    int n = shards != null ? shards : Math.min(4, plan.cells().size());
    Path dir = (work != null ? work : ResultsStore.defaultRoot().resolveSibling("sweeps")
        .resolve(plan.definition().name() + "-" + plan.hash())).toAbsolutePath().normalize();
    SlurmSubmission.Scripts s;
    try {
      s = SlurmSubmission.write(plan, file, dir, new SlurmSubmission.Options(n, partition, time, cpusPerTask, extra),
          Launcher.resolve(launcher, dir.resolve("slurm")));
    } catch (UncheckedIOException e) {
      throw new CommandFailure(ExitCodes.IO, e.getMessage(), e);
    }
    out.printf(Locale.ROOT, "sweep %s: %d cells in %d shards, plan %s, work folder %s%n", plan.definition().name(),
        plan.cells().size(), n, plan.hash(), dir);
    if (dryRun) {
      out.println("--- " + s.array());
      out.print(s.arrayText());
      out.println("--- " + s.merge());
      out.print(s.mergeText());
      out.println("--- would run:");
      SlurmSubmission.commands(s).forEach(c -> out.println("  " + c));
      return ExitCodes.OK;
    }
    SlurmSubmission.Jobs jobs;
    long t0 = System.nanoTime();
    String state = null;
    try {
      jobs = SlurmSubmission.submit(s);
      out.println("submitted array job " + jobs.arrayJob() + " (" + n + " tasks) and merge job " + jobs.mergeJob()
          + " (afterok:" + jobs.arrayJob() + ")");
      out.println("logs: " + dir.resolve("slurm"));
      out.flush();
      if (waitForMerge) {
        state = SlurmSubmission.waitFor(jobs.mergeJob());
      }
    } catch (SlurmSubmission.SlurmUnavailableException e) {
      throw new CommandFailure(ExitCodes.BACKEND, e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new CommandFailure(ExitCodes.FAILURE, e.getMessage(), e);
    }
    if (!waitForMerge) {
      out.println("report (when the merge job has run): " + s.report());
      return ExitCodes.OK;
    }
    if (!Files.isRegularFile(s.report()) || !(state.equals("COMPLETED") || state.equals("UNKNOWN"))) {
      throw new CommandFailure(ExitCodes.FAILURE, "the merge job " + jobs.mergeJob() + " ended " + state
          + (Files.isRegularFile(s.report()) ? "" : " without writing " + s.report()) + " (CANCELLED: a shard"
          + " failed; FAILED: the merge or a cell failed); see the logs in " + dir.resolve("slurm"));
    }
    out.printf(Locale.ROOT, "merged run set: %s%nreport: %s%ndone in %.1f s%n", s.merged(), s.report(),
        (System.nanoTime() - t0) / 1e9);
    return ExitCodes.OK;
  }
}
