package org.resbench.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.resbench.experiments.Progress;
import org.resbench.experiments.nightly.Calibration;
import org.resbench.experiments.nightly.CalibrationResult;
import org.resbench.experiments.nightly.History;
import org.resbench.experiments.nightly.NightlyData;
import org.resbench.experiments.nightly.NightlyRunner;
import org.resbench.experiments.nightly.Suite;
import org.resbench.experiments.sweep.Launcher;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.Backends;
import org.resbench.reports.HtmlReport;
import org.resbench.reports.ReportOptions;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;
import org.resbench.results.compare.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Nightly regression runs against a baseline, and this machine's calibration. */
@Command(name = "nightly", mixinStandardHelpOptions = true,
    description = "Run a suite of timings and numeric figures, store the night in a history with provenance, and"
        + " compare every metric with the baseline night on raw samples: timings by a Mann-Whitney U test with a"
        + " threshold on the shift of the median (bootstrap interval of the ratio of medians), numeric figures"
        + " against their stated tolerances. Writes an HTML report (verdicts, then trends). Exit 0: no regression;"
        + " 5: a metric regressed; 1: an item could not run; 2: bad input; 3: a backend is unavailable."
        + " --calibrate measures this machine's false-alarm and detection rates instead.",
    subcommands = {NightlyPromoteCommand.class, NightlyPinCommand.class, NightlyProbeCommand.class})
final class NightlyCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Option(names = "--suite", paramLabel = "FILE|smoke", defaultValue = "smoke",
      description = "The suite: a YAML file or a built-in one (default: ${DEFAULT-VALUE}).")
  String suite;

  @Option(names = "--baseline", arity = "1..2", paramLabel = "WHICH",
      description = "latest-green (default: the newest night that passed or was promoted), pinned NAME, or a run id.")
  List<String> baseline;

  @Mixin
  HistoryOption history;

  @Option(names = "--report", paramLabel = "FILE.html",
      description = "Where to write the report (default: HISTORY/reports/RUN.html).")
  Path report;

  @Option(names = "--calibrate", description = "Measure this machine's false-alarm rate (A/A comparisons) and the"
      + " detection rate of an injected slowdown, print both, and store them in the history (the nightly then uses"
      + " the threshold that is reachable here).")
  boolean calibrate;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "20",
      description = "Calibration: comparisons of each kind (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--slowdown", paramLabel = "F", defaultValue = "0.10",
      description = "Calibration: the injected slowdown, a fraction (default: ${DEFAULT-VALUE}).")
  double slowdown;

  @Option(names = "--in-process", description = "Calibration: time every set in this JVM instead of one JVM per"
      + " set (faster; misses the JVM-to-JVM spread that nights see).")
  boolean inProcess;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where to look for data sets first.")
  Path dataDir;

  @Option(names = "--no-progress", description = "No progress bars (for logs).")
  boolean noProgress;

  /** Exit code of a night with a regression (documented in the README). */
  static final int REGRESSION = ExitCodes.REGRESSION;

  @Override
  public Integer call() {
    PrintWriter out = cmd.commandLine().getOut();
    PrintWriter err = cmd.commandLine().getErr();
    History h = history.open();
    Suite s = Suite.load(suite);
    try {
      return calibrate ? calibrate(s, h, out, err) : night(s, h, out, err);
    } catch (UncheckedIOException e) {
      throw new CommandFailure(ExitCodes.IO, e.getMessage(), e);
    }
  }

  private int night(Suite s, History h, PrintWriter out, PrintWriter err) {
    Progress.Factory progress = noProgress ? Progress.Factory.NONE : ConsoleProgress.forTerminal(err).tasks();
    long t0 = System.nanoTime();
    out.println("nightly " + s.name() + ": " + s.items().size() + " items, history " + h.root());
    NightlyRunner.Result r = NightlyRunner.run(s, h, new NightlyRunner.Settings(
        NightlyRunner.BaselineChoice.parse(baseline), progress, dataDir, RunOptions.sourceDir(), out));
    NightlyData d = r.data();
    List<RunRecord> runs = new ArrayList<>();
    runs.add(r.record());
    runs.addAll(r.runs());
    Path file = report != null ? report : h.reports().resolve(r.record().id() + ".html");
    Path written = HtmlReport.write(runs, ReportOptions.now("resbench nightly " + s.name() + " - " + r.record().id()),
        file);
    print(out, r.record(), d);
    out.printf(Locale.ROOT, "night %s: %s in %.1f s%n", r.record().id(), r.record().status(),
        (System.nanoTime() - t0) / 1e9);
    out.println("report: " + written);
    if (r.record().status() == RunStatus.INCOMPLETE) {
      return ExitCodes.FAILURE;
    }
    if (d.regressed()) {
      return ExitCodes.REGRESSION;
    }
    return r.record().status() == RunStatus.PASSED ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  static void print(PrintWriter out, RunRecord record, NightlyData d) {
    NightlyData.Baseline b = d.baseline();
    out.println("baseline: " + (b.runId() == null ? "none (" + b.why() + ")" : b.runId() + " (" + b.mode() + ")"));
    out.printf(Locale.ROOT, "timings: threshold %.1f%%, from %s%n", 100 * d.timingThreshold(), d.thresholdSource());
    out.printf(Locale.ROOT, "%-64s %12s %12s %9s  %s%n", "metric", "baseline", "now", "change", "verdict");
    for (NightlyData.Metric m : d.metrics()) {
      boolean timing = m.kind().equals("timing");
      double scale = timing ? 1e3 : 1;
      String change = Double.isNaN(m.outcome().change()) ? "-" : timing
          ? String.format(Locale.ROOT, "%+.1f%%", 100 * m.outcome().change())
          : String.format(Locale.ROOT, "%+.2g", m.outcome().change());
      out.printf(Locale.ROOT, "%-64s %12s %12s %9s  %s%s%n", shorten(m.key(), 64),
          num(m.outcome().baseline() * scale, timing), num(m.value() * scale, timing), change, m.verdict().label(),
          m.verdict() == Verdict.UNCHANGED ? "" : ": " + m.outcome().reason());
    }
    for (String msg : record.messages()) {
      out.println("  " + msg);
    }
  }

  private static String num(double v, boolean ms) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return String.format(Locale.ROOT, ms ? "%.2f ms" : "%.4g", v);
  }

  private static String shorten(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 3) + "...";
  }

  private int calibrate(Suite s, History h, PrintWriter out, PrintWriter err) {
    Suite.Bench target = s.items().stream().map(Suite.Item::bench).filter(java.util.Objects::nonNull).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("suite " + s.name() + " has no bench item to calibrate;"
            + " allowed: a suite with a 'bench' item"));
    Backend backend = Backends.discover().get(target.backend());
    if (!backend.probe().available()) {
      throw new BackendException(backend.name(), "unavailable: " + backend.probe().unavailableReason());
    }
    h.store().requireWritable();
    Path work = h.root().resolve("calibration");
    List<String> launcher = inProcess ? List.of() : Launcher.resolve(null, work);
    double threshold = target.threshold() != null ? target.threshold() : s.threshold();
    CalibrationResult c = Calibration.run(new Calibration.Settings(target, runs, slowdown, threshold, inProcess,
        launcher, work), backend, out);
    Path file = h.save(c);
    out.println();
    out.printf(Locale.ROOT, "%-10s %14s %14s %16s %16s%n", "threshold", "false alarms", "A/A inconcl.",
        "detections", "injected inconcl.");
    for (CalibrationResult.Row row : c.rows()) {
      out.printf(Locale.ROOT, "%9.1f%% %11d/%-2d %11d/%-2d %13d/%-2d %13d/%-2d%s%n", 100 * row.threshold(),
          row.falseAlarms(), c.runs(), row.aaInconclusive(), c.runs(), row.detections(), c.runs(),
          row.injectedInconclusive(), c.runs(), row.threshold() == c.threshold() ? "   <- used here" : "");
    }
    out.println();
    out.printf(Locale.ROOT, "false-alarm rate: %d/%d A/A comparisons flagged at %.1f%%%n", c.falseAlarms(), c.runs(),
        100 * c.defaultThreshold());
    out.printf(Locale.ROOT, "detection rate:   %d/%d injected %.0f%% slowdowns flagged at %.1f%%%n", c.detections(),
        c.runs(), 100 * c.slowdown(), 100 * c.defaultThreshold());
    c.notes().forEach(n -> out.println("  " + n));
    out.printf(Locale.ROOT, "calibration: %s (%s, %s), %.0f s wall time%n", file, c.machine(), c.isolation(),
        c.wallSeconds());
    return ExitCodes.OK;
  }
}
