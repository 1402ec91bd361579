package org.resbench.cli;

import java.nio.file.Path;
import java.util.List;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentRunner;
import org.resbench.experiments.ImageData;
import org.resbench.experiments.ImageSources;
import org.resbench.experiments.Progress;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.data.DataLocator;
import org.resbench.harness.data.KnownDatasets;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by the commands that run experiments. */
final class RunOptions {
  @Option(names = "--backends", split = ",", paramLabel = "NAME",
      description = "Backends to run on (default: every available one; see 'resbench backends').")
  List<String> backends;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
      description = "Intra-op threads per backend; 0 = the engine's default (all cores).")
  int threads;

  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec mixee;

  /** Whether {@code --threads} was given on the command line. */
  boolean threadsGiven() {
    return mixee != null && mixee.commandLine() != null
        && mixee.commandLine().getParseResult().hasMatchedOption("--threads");
  }

  /** The data set used when {@code --data} is not given. */
  static final String DEFAULT_DATA = "fashion-mnist";

  @Option(names = "--data", paramLabel = "NAME",
      description = "Image data for experiments that take it from the command line (default: fashion-mnist; "
          + "'synthetic' for the built-in seeded set). When the data set is missing the run uses the synthetic set "
          + "and says so loudly. Training experiments name their data in their configuration (--set data=[...]).")
  String data;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where to look for data sets first.")
  Path dataDir;

  @Option(names = "--no-progress", description = "No progress bars (for logs).")
  boolean noProgress;

  @Mixin
  ResultsOption results;

  private List<Backend> chosen;

  /**
   * Checks what can be checked without work, so a bad option fails in a second rather than after a run: the
   * thread count, the data set's name, and the backends (unknown: exit 2; named but unavailable: exit 3).
   */
  void validate() {
    if (threads < 0) {
      throw new IllegalArgumentException("--threads " + threads + "; allowed: 0 (the engine's default) or more");
    }
    if (data != null) {
      requireDataName("--data", data);
    }
    // The named folders themselves first (their message names no data set: an experiment may name its own data in
    // its configuration), then a damaged copy of the --data set in them.
    DataLocator.standard(dataDir).requireUsableRoots();
    requireUsableData(dataName(), dataDir);
    chosenBackends();
  }

  /**
   * Fails (exit 2) when {@code --data-dir} or {@code $RESBENCH_DATA} is unusable for the data set: a missing or
   * unreadable folder, a damaged or partial copy. An absent data set is not an error here.
   */
  static void requireUsableData(String name, Path dataDir) {
    if (!KnownDatasets.SYNTHETIC.equalsIgnoreCase(name.trim()) && !ImageSources.isSizedSynthetic(name)) {
      DataLocator.standard(dataDir).requireUsable(KnownDatasets.byName(name));
    }
  }

  /** Fails (exit 2) unless {@code name} is a known data set or {@code synthetic}. */
  static void requireDataName(String option, String name) {
    if (KnownDatasets.SYNTHETIC.equalsIgnoreCase(name.trim()) || ImageSources.isSizedSynthetic(name)) {
      return;
    }
    try {
      KnownDatasets.byName(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " " + name + ": unknown data set; allowed: " + String.join(", ",
          KnownDatasets.all().stream().map(d -> d.name()).toList()) + ", " + KnownDatasets.SYNTHETIC + ", "
          + KnownDatasets.SYNTHETIC + "-CxHxW[-nN]");
    }
  }

  /**
   * The chosen backends: the named ones, each available (else exit 3), or every backend on the class path.
   * Resolved once.
   */
  List<Backend> chosenBackends() {
    if (chosen == null) {
      chosen = BackendChoice.resolve(Backends.discover(), backends, "--backends");
    }
    return chosen;
  }

  /**
   * The chosen backends for {@code e}. A chosen backend that lacks what {@code e} needs is skipped by the runner,
   * which says why in the run's messages (as the experiment catalog promises); when none of them can run it, the
   * command fails at once with exit 3.
   */
  List<Backend> backendsFor(Experiment<?> e) {
    Backends all = Backends.of(chosenBackends());
    Capability[] needed = e.requiredCapabilities().toArray(new Capability[0]);
    if (all.supporting(needed).isEmpty()) {
      throw new CommandFailure(ExitCodes.BACKEND, (backends == null || backends.isEmpty() ? "no backend available"
          + " here" : "none of --backends " + String.join(",", backends)) + " can run " + e.name() + " (it needs "
          + String.join(", ", java.util.Arrays.stream(needed).map(BackendChoice::label).toList()) + "); backends"
          + " that can: " + BackendChoice.usable(Backends.discover(), needed));
    }
    return chosenBackends();
  }

  /** A request to run on the {@link #chosenBackends() chosen backends}. */
  ExperimentRunner.Request request(java.io.PrintWriter err) {
    return request(err, chosenBackends());
  }

  /** A request to run on {@code candidates}. */
  ExperimentRunner.Request request(java.io.PrintWriter err, List<Backend> candidates) {
    return new ExperimentRunner.Request(candidates, SessionOptions.builder().optThreads(threads).build(),
        results.store(), progress(err), this::images, sourceDir(), dataDir);
  }

  /** Progress on {@code err}, or none with {@code --no-progress}. */
  Progress.Factory progress(java.io.PrintWriter err) {
    return noProgress ? Progress.Factory.NONE : ConsoleProgress.forTerminal(err).tasks();
  }

  ImageData images() {
    return ImageSources.load(dataName(), dataDir, notice -> {
      System.err.println();
      System.err.println(notice);
      System.err.println();
    });
  }

  /** {@code --data}, or the default data set. */
  String dataName() {
    return data != null ? data : DEFAULT_DATA;
  }

  /** The source tree the launcher runs from, for the git commit in provenance. */
  static Path sourceDir() {
    String home = System.getProperty("resbench.home");
    return home != null ? Path.of(home) : Path.of(".");
  }
}
