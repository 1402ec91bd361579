package org.resbench.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.resbench.experiments.ConfigLoader;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentCatalog;
import org.resbench.experiments.ExperimentRunner;
import org.resbench.reports.HtmlReport;
import org.resbench.reports.ReportOptions;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs one experiment and records it. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run one experiment from the catalog ('resbench experiments') on the chosen backends and write a run "
        + "record to the results folder. Configuration: the profile's defaults, overlaid by --config FILE, overlaid "
        + "by --set key=value. Exit 0 when the run passed, 1 when a check failed or the run is incomplete.")
final class RunCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "The experiment, e.g. shattered-gradients.")
  String experiment;

  @Option(names = "--profile", defaultValue = "smoke", paramLabel = "NAME",
      description = "smoke (minutes on a 2-core CPU; the default) or paper (the paper's scale, for a GPU).")
  String profile;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML overrides of the profile's fields.")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one field, e.g. --set depths=[1,4,16].")
  List<String> sets;

  @Option(names = "--report", paramLabel = "FILE.html", description = "Also write an HTML report of this run.")
  Path report;

  @Option(names = "--resume", paramLabel = "RUN",
      description = "Continue the UNFINISHED run RUN (an id or unique prefix; see 'resbench runs') from its "
          + "checkpoints, with the configuration and backends it was made with, under its own id.")
  String resume;

  @Mixin
  RunOptions run;

  @Override
  public Integer call() {
    Experiment<?> e = ExperimentCatalog.get(experiment);
    boolean customised = config != null || (sets != null && !sets.isEmpty())
        || cmd.commandLine().getParseResult().hasMatchedOption("--profile");
    RunRecord r = resume != null ? resumeOne(e, resume, customised ? profile : null, config, sets, run,
        cmd.commandLine().getErr()) : runOne(e, profile, config, sets, run, cmd.commandLine().getErr());
    PrintWriter out = cmd.commandLine().getOut();
    printOutcome(out, r, run.results.store().root());
    if (report != null) {
      out.println("report: " + writeReport(List.of(r), report));
    }
    return ExperimentRunner.failed(r.status()) ? ExitCodes.FAILURE : ExitCodes.OK;
  }

  static <C> RunRecord runOne(Experiment<C> e, String profile, Path config, List<String> sets, RunOptions run,
      PrintWriter err) {
    ConfigLoader.Resolved<C> resolved = ConfigLoader.resolve(e, profile, config, sets);
    try {
      return ExperimentRunner.run(e, resolved, run.request(err));
    } catch (UncheckedIOException io) {
      throw new CommandFailure(ExitCodes.IO, io.getMessage(), io);
    }
  }

  /**
   * Continues run {@code id} of {@code e}; with {@code profile} not null the configuration asked for now must
   * equal the stored one (else bad input naming the differences).
   */
  static <C> RunRecord resumeOne(Experiment<C> e, String id, String profile, Path config, List<String> sets,
      RunOptions run, PrintWriter err) {
    org.resbench.results.ResultsStore store = run.results.store();
    RunRecord previous = store.get(id);
    ConfigLoader.Resolved<C> asked = profile == null ? null : ConfigLoader.resolve(e, profile, config, sets);
    int storedThreads = previous.provenance().threads();
    if (run.threadsGiven() && run.threads != storedThreads) {
      throw new IllegalArgumentException("--threads " + run.threads + " for run " + previous.id() + ", which ran with "
          + storedThreads + " (0 = the engine's default); allowed: --resume without --threads, or --threads "
          + storedThreads + " (engines' results depend on the thread count, so a resumed run keeps it)");
    }
    run.threads = storedThreads;
    ExperimentRunner.Request request = run.request(err);
    if (run.backends == null || run.backends.isEmpty()) {
      request = new ExperimentRunner.Request(org.resbench.harness.backend.Backends.discover().all(),
          request.options(), request.store(), request.progress(), request.images(), request.sourceDir(),
          request.dataDir());
    }
    try {
      return ExperimentRunner.resume(e, previous, asked, request);
    } catch (UncheckedIOException io) {
      throw new CommandFailure(ExitCodes.IO, io.getMessage(), io);
    }
  }

  static void printOutcome(PrintWriter out, RunRecord r, Path root) {
    out.println(r.experiment() + ": " + r.status() + " (run " + r.id() + ")");
    for (String m : r.messages()) {
      out.println("  " + m);
    }
    out.println("record: " + root.resolve(r.id()).resolve("run.json"));
    if (r.status() != RunStatus.PASSED) {
      out.println("the run did not pass: see the messages above");
    }
  }

  static Path writeReport(List<RunRecord> runs, Path out) {
    try {
      return HtmlReport.write(runs, ReportOptions.now("resbench report"), out);
    } catch (UncheckedIOException e) {
      throw new CommandFailure(ExitCodes.IO, e.getMessage(), e);
    }
  }
}
