package org.resbench.cli;

import java.nio.file.Path;
import org.resbench.experiments.nightly.History;
import picocli.CommandLine.Option;

/** The {@code --history DIR} option shared by the nightly commands. */
final class HistoryOption {
  @Option(names = "--history", paramLabel = "DIR",
      description = "The history folder (default: $RESBENCH_NIGHTLY, else ~/.resbench/nightly).")
  Path dir;

  History open() {
    return new History(dir != null ? dir : History.defaultRoot());
  }
}
