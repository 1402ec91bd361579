package org.resbench.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.resbench.experiments.Progress;
import org.resbench.experiments.sweep.Shard;
import org.resbench.experiments.sweep.SweepDefinition;
import org.resbench.experiments.sweep.SweepPlan;
import org.resbench.experiments.sweep.SweepRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs a shard of a sweep. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the cells of one shard of a sweep (all of it by default), one run record per cell, each written"
        + " atomically as it finishes. --resume skips the cells already recorded in the results folder, so after a"
        + " crash or a kill only unfinished cells run again. Exit 0 when every cell of the shard passed, 1 when one"
        + " did not.")
final class SweepRunCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Parameters(index = "0", paramLabel = "FILE", description = "The sweep file (YAML).")
  Path file;

  @Option(names = "--shard", paramLabel = "I/N", defaultValue = "0/1",
      description = "Run shard I of N: the cells whose position among the sorted cell ids is I modulo N (default:"
          + " ${DEFAULT-VALUE}, everything).")
  String shard;

  @Option(names = "--resume", description = "Skip cells already recorded (after checking they belong to this plan).")
  boolean resume;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where to look for data sets first.")
  Path dataDir;

  @Option(names = "--no-progress", description = "No progress bars (for logs).")
  boolean noProgress;

  @Mixin
  ResultsOption results;

  @Override
  public Integer call() {
    PrintWriter out = cmd.commandLine().getOut();
    PrintWriter err = cmd.commandLine().getErr();
    Shard s = Shard.parse(shard);
    SweepPlan plan = SweepPlan.of(SweepDefinition.read(file));
    Progress.Factory progress = noProgress ? Progress.Factory.NONE : ConsoleProgress.forTerminal(err).tasks();
    SweepRunner.Summary summary;
    try {
      summary = SweepRunner.run(plan, s, resume, results.store(),
          new SweepRunner.Settings(progress, dataDir, RunOptions.sourceDir()), out);
    } catch (UncheckedIOException e) {
      throw new CommandFailure(ExitCodes.IO, e.getMessage(), e);
    }
    out.printf("shard %s: %d cells, %d run now, %d already recorded; records in %s%n", s, summary.cells(),
        summary.ran(), summary.skipped(), results.store().root());
    if (!summary.notPassed().isEmpty()) {
      out.println("cells that did not pass: " + String.join(", ", summary.notPassed()));
      return ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }
}
