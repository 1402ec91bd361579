package org.resbench.cli;

import picocli.CommandLine.Command;

/** The top-level {@code resbench} command; subcommands do the work. */
@Command(name = "resbench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Runs identical residual-network experiments (ResNet, plain CNN, stochastic depth, ResNeXt, "
        + "MLPs) on several backends and records gradient-correlation and ensemble-path statistics.", ""},
    subcommands = {QuickstartCommand.class, SpecsCommand.class, SpecCommand.class, BackendsCommand.class,
        PathsCommand.class,
        ExperimentsCommand.class,
        RunCommand.class, RunsCommand.class, ReportCommand.class, TrainCommand.class, BenchCommand.class,
        DataCommand.class,
        ExportCommand.class,
        picocli.CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 an experiment or check failed, 2 bad input, 3 backend unavailable,"
        + " 4 I/O error.", "Run 'resbench COMMAND --help' for a command's options."})
public final class ResbenchCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
