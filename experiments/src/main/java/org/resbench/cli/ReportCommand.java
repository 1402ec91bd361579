package org.resbench.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Writes an HTML report of chosen runs. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write one self-contained HTML report (inline SVG charts, no scripts or network) of the given runs,"
        + " of the newest run per experiment (--latest), or of every run (--all).")
final class ReportCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Parameters(paramLabel = "RUN", arity = "0..*", description = "Run ids or unique prefixes.")
  List<String> ids;

  @Option(names = "--latest", description = "The newest run of each experiment.")
  boolean latest;

  @Option(names = "--all", description = "Every run.")
  boolean all;

  @Option(names = "--out", required = true, paramLabel = "FILE.html", description = "Where to write the report.")
  Path out;

  @Mixin
  ResultsOption results;

  @Override
  public Integer call() {
    Outputs.check(out, "--out");
    ResultsStore store = results.store();
    List<RunRecord> runs = new ArrayList<>();
    if (ids != null) {
      for (String id : ids) {
        runs.add(store.get(id));
      }
    }
    if (all || latest) {
      ResultsStore.Listing listing = store.scan();
      for (ResultsStore.Damaged d : listing.damaged()) {
        cmd.commandLine().getErr().println("warning: skipped damaged run " + d.describe());
      }
      if (all) {
        runs.addAll(listing.runs());
      } else {
        java.util.Map<String, RunRecord> newest = new java.util.LinkedHashMap<>();
        for (RunRecord r : listing.runs()) {
          newest.put(r.experiment(), r); // oldest first, so the last one per experiment wins
        }
        runs.addAll(newest.values());
      }
    }
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no runs chosen; allowed: run ids, --latest or --all (runs are in "
          + store.root() + ")");
    }
    Path written = RunCommand.writeReport(runs, out);
    Outputs.announce(cmd.commandLine().getOut(), cmd.commandLine().getErr(), written, written.toString());
    return ExitCodes.OK;
  }
}
