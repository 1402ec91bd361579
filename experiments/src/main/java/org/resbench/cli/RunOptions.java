package org.resbench.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.resbench.experiments.ExperimentRunner;
import org.resbench.experiments.ImageData;
import org.resbench.experiments.ImageSources;
import org.resbench.experiments.Progress;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.SessionOptions;
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

  /** The chosen backends, each checked to exist (unknown names are usage errors). */
  List<Backend> chosenBackends() {
    Backends all = Backends.discover();
    if (backends == null || backends.isEmpty()) {
      return all.all();
    }
    List<Backend> out = new ArrayList<>();
    for (String n : backends) {
      out.add(all.get(n.trim()));
    }
    return out;
  }

  ExperimentRunner.Request request(java.io.PrintWriter err) {
    return new ExperimentRunner.Request(chosenBackends(), SessionOptions.builder().optThreads(threads).build(),
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
