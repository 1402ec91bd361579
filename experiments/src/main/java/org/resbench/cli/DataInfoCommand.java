package org.resbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.resbench.harness.data.DataLocator;
import org.resbench.harness.data.DataOptions;
import org.resbench.harness.data.DataSplits;
import org.resbench.harness.data.DatasetDescriptor;
import org.resbench.harness.data.Datasets;
import org.resbench.harness.data.KnownDatasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code resbench data info NAME}: loads a data set as an experiment would and shows what it got. */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = {"Load a data set as experiments do and show what they get.", "",
        "Checks checksums, normalises with the training split's statistics, pads,",
        "holds out the validation split, and shows the splits, the statistics,",
        "the augmentation, the provenance and the load time."})
final class DataInfoCommand implements Runnable {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @ParentCommand
  DataCommand parent;

  @Parameters(index = "0", paramLabel = "NAME", description = "fashion-mnist, mnist, cifar10 or synthetic.")
  String name;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Look here first (DIR/NAME or DIR itself).")
  Path dataDir;

  @Option(names = "--validation", paramLabel = "N", defaultValue = "5000",
      description = "Training examples held out for validation (default: ${DEFAULT-VALUE}; 0 for none).")
  int validation;

  @Option(names = "--data-seed", paramLabel = "SEED", defaultValue = "0",
      description = "Seed of the validation split (default: ${DEFAULT-VALUE}).")
  long dataSeed;

  @Option(names = "--pad-to", paramLabel = "SIZE", defaultValue = "32",
      description = "Centre images on a SIZE x SIZE canvas (default: ${DEFAULT-VALUE}; 0 keeps their size).")
  int padTo;

  @Override
  public void run() {
    PrintWriter out = cmd.commandLine().getOut();
    boolean synthetic = KnownDatasets.SYNTHETIC.equalsIgnoreCase(name.trim());
    DatasetDescriptor d = synthetic ? null : parent.lookup(name);
    DataOptions o = DataOptions.defaults().withDataDir(dataDir).withValidationSize(validation).withDataSeed(dataSeed)
        .withPadTo(padTo);
    long start = System.nanoTime();
    DataLocator locator = new DataLocator(dataDir, parent.environment);
    DataSplits s = synthetic ? Datasets.load(name, o, locator) : Datasets.load(d, o, locator);
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(Locale.ROOT, "%s loaded in %.2f s: %,d train / %,d validation / %,d test examples of %s%n", s.dataset(),
        seconds, s.train().size(), s.validation().map(v -> v.size()).orElse(0), s.test().size(),
        s.train().sampleShape());
    for (Map.Entry<String, String> e : s.provenance().entrySet()) {
      out.printf(Locale.ROOT, "  %-36s %s%n", e.getKey(), e.getValue());
    }
  }
}
