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
    ResultsStore store = results.store();
    List<RunRecord> runs = new ArrayList<>();
    if (ids != null) {
      for (String id : ids) {
        runs.add(store.get(id));
      }
    }
    if (all) {
      runs.addAll(store.list());
    } else if (latest) {
      store.list().stream().map(RunRecord::experiment).distinct()
          .forEach(e -> store.latest(e).ifPresent(runs::add));
    }
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no runs chosen; allowed: run ids, --latest or --all (runs are in "
          + store.root() + ")");
    }
    cmd.commandLine().getOut().println(RunCommand.writeReport(runs, out));
    return ExitCodes.OK;
  }
}
