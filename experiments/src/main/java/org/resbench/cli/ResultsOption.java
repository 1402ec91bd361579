package org.resbench.cli;

import java.nio.file.Path;
import org.resbench.results.ResultsStore;
import picocli.CommandLine.Option;

/** The {@code --results DIR} option shared by commands that read or write runs. */
final class ResultsOption {
  @Option(names = "--results", paramLabel = "DIR",
      description = "Results folder (default: $RESBENCH_RESULTS, else ~/.resbench/results).")
  Path dir;

  ResultsStore store() {
    return new ResultsStore(dir != null ? dir : ResultsStore.defaultRoot());
  }
}
