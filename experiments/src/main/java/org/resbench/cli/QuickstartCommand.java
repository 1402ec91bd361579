package org.resbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.resbench.experiments.ExperimentCatalog;
import org.resbench.experiments.ExperimentPlugin;
import org.resbench.experiments.ExperimentRunner;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Device;
import org.resbench.harness.data.DataEnvironment;
import org.resbench.harness.data.DataLocator;
import org.resbench.harness.data.DatasetDescriptor;
import org.resbench.harness.data.KnownDatasets;
import org.resbench.harness.data.fetch.DataFetcher;
import org.resbench.harness.data.fetch.FetchFailedException;
import org.resbench.harness.data.fetch.FetchSources;
import org.resbench.results.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The README's main command: a small suite on the CPU backends, ending with the path of an HTML report. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = "Run the quickstart suite (a small profile of each experiment that takes part in it; 'resbench "
        + "experiments' shows which) on every available CPU backend, on "
        + "Fashion-MNIST (fetched when missing; the synthetic set, with a loud notice, when it cannot be had), and "
        + "write one HTML report. The last line printed is the report's path. A few minutes on a 2-core machine. "
        + "Exit 0 when both runs passed, 1 otherwise (the report is written either way).")
final class QuickstartCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Option(names = "--out", paramLabel = "FILE.html",
      description = "Where to write the report (default: ~/.resbench/reports/quickstart-TIME.html).")
  Path out;

  @Option(names = "--no-fetch", description = "Do not try to fetch a missing data set.")
  boolean noFetch;

  @Mixin
  RunOptions run;

  @Override
  public Integer call() {
    PrintWriter stdout = cmd.commandLine().getOut();
    PrintWriter err = cmd.commandLine().getErr();
    List<Backend> backends = cpuBackends(run);
    List<ExperimentPlugin<?, ?>> suite = ExperimentCatalog.plugins().stream()
        .filter(p -> p.quickstartProfile().isPresent()).toList();
    stdout.println("resbench quickstart: " + String.join(", ", suite.stream().map(p -> p.name() + " ("
        + p.quickstartProfile().orElseThrow() + ")").toList()) + " on " + backends.stream().map(Backend::name).toList()
        + ", data " + run.dataName());
    if (!noFetch) {
      ensureData(run, err);
    }
    RunOptions pinned = run;
    pinned.backends = backends.stream().map(Backend::name).toList();
    List<RunRecord> records = new ArrayList<>();
    for (ExperimentPlugin<?, ?> plugin : suite) {
      Optional<String> cannot = plugin.experiment().cannotRunOn(backends);
      if (cannot.isPresent()) {
        stdout.println(plugin.name() + ": skipped: " + cannot.get());
        continue;
      }
      RunRecord r = RunCommand.runOne(plugin.experiment(), plugin.quickstartProfile().orElseThrow(), null, List.of(),
          pinned, err);
      RunCommand.printOutcome(stdout, r, run.results.store().root());
      records.add(r);
    }
    Path target = out != null ? out : defaultReport();
    Path written = RunCommand.writeReport(records, target);
    boolean failed = records.stream().anyMatch(r -> ExperimentRunner.failed(r.status()));
    if (failed) {
      stdout.println("quickstart: a run did not pass; the report shows where.");
    }
    stdout.println(written);
    return failed ? ExitCodes.FAILURE : ExitCodes.OK;
  }

  /** The chosen backends, or by default every available CPU backend (CUDA backends are left out). */
  static List<Backend> cpuBackends(RunOptions run) {
    List<Backend> chosen = run.chosenBackends();
    if (run.backends != null && !run.backends.isEmpty()) {
      return chosen;
    }
    return chosen.stream().filter(b -> b.device() == Device.CPU && b.probe().available()).toList();
  }

  /** Fetches the data set when it is a known one and not present; failures are reported, not fatal. */
  static void ensureData(RunOptions run, PrintWriter err) {
    if (KnownDatasets.SYNTHETIC.equals(run.dataName())) {
      return;
    }
    DatasetDescriptor d = KnownDatasets.byName(run.dataName());
    DataEnvironment env = DataEnvironment.system();
    Optional<DataLocator.Location> present = new DataLocator(run.dataDir, env).find(d);
    if (present.isPresent()) {
      return;
    }
    err.println("quickstart: " + d.name() + " is not present; fetching it (resbench data fetch " + d.name() + ") ...");
    try {
      DataFetcher.Result r = new DataFetcher(env.defaultFetchRoot(), ConsoleProgress.forTerminal(err).transfers())
          .fetch(d, FetchSources.defaults(d, env, Duration.ofSeconds(5)), false);
      err.println("quickstart: fetched " + d.name() + " from " + r.source() + " into " + r.dir());
    } catch (FetchFailedException | IllegalStateException | java.io.UncheckedIOException e) {
      err.println("quickstart: could not fetch " + d.name() + ": " + e.getMessage());
    }
  }

  static Path defaultReport() {
    String time = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
        .format(java.time.Instant.now());
    return Path.of(System.getProperty("user.home"), ".resbench", "reports", "quickstart-" + time + ".html");
  }
}
