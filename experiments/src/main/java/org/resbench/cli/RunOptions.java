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

  @Option(names = "--data", paramLabel = "NAME", defaultValue = "fashion-mnist",
      description = "Image data for experiments that need it (default: ${DEFAULT-VALUE}; 'synthetic' for the "
          + "built-in seeded set). When the data set is missing the run uses the synthetic set and says so loudly.")
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
        results.store(), progress(err), this::images, sourceDir());
  }

  /** Progress on {@code err}, or none with {@code --no-progress}. */
  Progress.Factory progress(java.io.PrintWriter err) {
    return noProgress ? Progress.Factory.NONE : ConsoleProgress.forTerminal(err).tasks();
  }

  ImageData images() {
    return ImageSources.load(data, dataDir, notice -> {
      System.err.println();
      System.err.println(notice);
      System.err.println();
    });
  }

  /** The source tree the launcher runs from, for the git commit in provenance. */
  static Path sourceDir() {
    String home = System.getProperty("resbench.home");
    return home != null ? Path.of(home) : Path.of(".");
  }
}
