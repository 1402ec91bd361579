package org.resbench.cli;

import java.util.concurrent.Callable;
import org.resbench.experiments.nightly.History;
import org.resbench.experiments.nightly.NightlyData;
import org.resbench.results.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Names a night as a baseline. */
@Command(name = "pin", mixinStandardHelpOptions = true,
    description = "Name a night as a baseline ('resbench nightly --baseline pinned NAME' compares with it): RUN, or"
        + " the suite's latest green night. An existing name is never moved without --force.")
final class NightlyPinCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Parameters(index = "0", paramLabel = "NAME", description = "The baseline's name, e.g. release-1.2.")
  String name;

  @Parameters(index = "1", arity = "0..1", paramLabel = "RUN", description = "The night (default: the latest green"
      + " night of --suite).")
  String run;

  @Option(names = "--suite", paramLabel = "NAME", defaultValue = "smoke",
      description = "Whose latest green night to pin when RUN is not given (default: ${DEFAULT-VALUE}).")
  String suite;

  @Option(names = "--force", description = "Move an existing name to this night.")
  boolean force;

  @Mixin
  HistoryOption history;

  @Override
  public Integer call() {
    History h = history.open();
    RunRecord r = run != null ? h.night(run) : h.latestGreen(suite).orElseThrow(() -> new IllegalArgumentException(
        "no green night of suite " + suite + " in " + h.root() + "; allowed: a run id, or run a night first"));
    String before = h.pin(name, r, force);
    cmd.commandLine().getOut().println("pinned '" + name + "' to " + r.id() + " (suite " + ((NightlyData) r.data())
        .suite() + ", " + r.status() + ")" + (before != null && !before.equals(r.id()) ? "; it was " + before : ""));
    return ExitCodes.OK;
  }
}
