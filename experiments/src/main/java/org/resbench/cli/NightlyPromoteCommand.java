package org.resbench.cli;

import java.util.concurrent.Callable;
import org.resbench.experiments.nightly.History;
import org.resbench.results.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

  @Mixin
  HistoryOption history;

  @Override
  public Integer call() {
    History h = history.open();
    RunRecord r = h.night(run);
    String suite = ((org.resbench.experiments.nightly.NightlyData) r.data()).suite();
    String before = h.latestGreen(suite).map(RunRecord::id).orElse("none");
    h.promote(r.id());
    cmd.commandLine().getOut().println("promoted " + r.id() + " (" + r.status() + "); latest-green of suite " + suite
        + " was " + before + ", is now " + h.latestGreen(suite).map(RunRecord::id).orElse("none"));
    return ExitCodes.OK;
  }
}
