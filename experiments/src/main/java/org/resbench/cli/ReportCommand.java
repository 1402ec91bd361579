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
    description = {"Write one self-contained HTML report (inline SVG charts, no scripts or network) of the given runs,"
        + " of the newest run per experiment (--latest), or of every run (--all). It opens with a summary (one row per"
        + " run: status, backends, headline numbers and verdicts, time taken) and a table of contents; every chart's"
        + " data downloads as CSV from its caption.",
        "With --site DIR instead of --out: an index page of every chosen run and one self-contained page per run, for"
            + " histories of many runs (nightly)."})
final class ReportCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Parameters(paramLabel = "RUN", arity = "0..*", description = "Run ids or unique prefixes.")
  List<String> ids;

  @Option(names = "--latest", description = "The newest run of each experiment.")
  boolean latest;

  @Option(names = "--all", description = "Every run.")
  boolean all;

  @Option(names = "--out", paramLabel = "FILE.html", description = "Where to write the report.")
  Path out;

  @Option(names = "--site", paramLabel = "DIR",
      description = "Write DIR/index.html and DIR/RUN.html per run instead of one page.")
  Path site;

  @Mixin
  ResultsOption results;

  @Override
  public Integer call() {
    if ((out == null) == (site == null)) {
      throw new IllegalArgumentException("report needs exactly one of --out FILE.html and --site DIR");
    }
    if (out != null) {
      Outputs.check(out, "--out");
    }
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
    if (site != null) {
      if (java.nio.file.Files.exists(site) && !java.nio.file.Files.isDirectory(site)) {
        throw new IllegalArgumentException("--site " + site + " is a file; allowed: a folder (made when missing)");
      }
      try {
        cmd.commandLine().getOut().println(org.resbench.reports.HtmlReport.writeSite(runs,
            org.resbench.reports.ReportOptions.now("resbench report"), site));
      } catch (java.io.UncheckedIOException e) {
        throw new CommandFailure(ExitCodes.IO, e.getMessage(), e);
      }
      return ExitCodes.OK;
    }
    Path written = RunCommand.writeReport(runs, out);
    Outputs.announce(cmd.commandLine().getOut(), cmd.commandLine().getErr(), written, written.toString());
    return ExitCodes.OK;
  }
}
