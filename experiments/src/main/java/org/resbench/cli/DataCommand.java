package org.resbench.cli;

import java.util.List;
import java.util.Locale;
import org.resbench.harness.data.DataEnvironment;
import org.resbench.harness.data.DatasetDescriptor;
import org.resbench.harness.data.KnownDatasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** {@code resbench data}: the data sets' fetch and list commands. Holds what they read from the machine. */
@Command(name = "data", mixinStandardHelpOptions = true,
    description = {"Fetch, list and inspect the data sets.", "",
        "Data sets: fashion-mnist (Fashion-MNIST), mnist (MNIST), cifar10 (CIFAR-10),",
        "and synthetic (seeded, generated on demand, never stored).", "",
        "A data set NAME is looked for, in this order, in:",
        "  --data-dir DIR (DIR/NAME or DIR itself), $RESBENCH_DATA (likewise),",
        "  ~/.resbench/data/NAME, and the folders system packages install to",
        "  (Debian's dataset-fashion-mnist: /usr/share/datasets/fashion-mnist).",
        "Every file's sha256 is checked against checksums pinned in resbench when",
        "it is fetched, listed and loaded.", ""},
    subcommands = {DataFetchCommand.class, DataListCommand.class, DataInfoCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 a data set failed verification, 2 bad input (unknown",
        "data set, malformed file), 3 no source could deliver the data set on this",
        "machine, 4 I/O error."})
final class DataCommand implements Runnable {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  /** The environment the subcommands search (tests replace it). */
  DataEnvironment environment = DataEnvironment.system();

  /** The data sets the subcommands know (tests replace it). */
  List<DatasetDescriptor> catalog = KnownDatasets.all();

  @Override
  public void run() {
    cmd.commandLine().usage(cmd.commandLine().getOut());
  }

  /** The data set called {@code name}, from the catalog; unknown names name the allowed ones. */
  DatasetDescriptor lookup(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (DatasetDescriptor d : catalog) {
      if (d.name().equals(n)) {
        return d;
      }
    }
    DatasetDescriptor known = KnownDatasets.byName(name);
    if (!catalog.contains(known)) {
      throw new IllegalArgumentException("unknown data set '" + name + "'; allowed: "
          + String.join(", ", catalog.stream().map(DatasetDescriptor::name).toList()));
    }
    return known;
  }
}
