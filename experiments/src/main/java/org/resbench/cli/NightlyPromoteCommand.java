package org.resbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.resbench.experiments.nightly.History;
import org.resbench.results.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Accepts a night as green. */
@Command(name = "promote", mixinStandardHelpOptions = true,
    description = "Accept a night as green although it did not pass (an intended change, e.g. a slower but more exact"
        + " kernel): 'latest-green' baselines then start from it. Nights never change baselines by themselves.")
final class NightlyPromoteCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Parameters(index = "0", paramLabel = "RUN", description = "The night's run id (or a unique prefix).")
  String run;

  @Option(names = "--history", paramLabel = "DIR",
      description = "The history folder (default: $RESBENCH_NIGHTLY, else ~/.resbench/nightly).")
  Path history;

  @Override
  public Integer call() {
    History h = new History(history != null ? history : History.defaultRoot());
    RunRecord r = h.night(run);
    String suite = ((org.resbench.experiments.nightly.NightlyData) r.data()).suite();
    String before = h.latestGreen(suite).map(RunRecord::id).orElse("none");
    h.promote(r.id());
    cmd.commandLine().getOut().println("promoted " + r.id() + " (" + r.status() + "); latest-green of suite " + suite
        + " was " + before + ", is now " + h.latestGreen(suite).map(RunRecord::id).orElse("none"));
    return ExitCodes.OK;
  }
}
