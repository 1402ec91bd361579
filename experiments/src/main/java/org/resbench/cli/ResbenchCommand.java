package org.resbench.cli;

import org.resbench.harness.backend.EngineLog;
import picocli.CommandLine.Command;

/** The top-level {@code resbench} command; subcommands do the work. */
@Command(name = "resbench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Runs identical residual-network experiments (ResNet, plain CNN, stochastic depth, ResNeXt, "
        + "MLPs) on several backends and records gradient-correlation and ensemble-path statistics.", ""},
    subcommands = {QuickstartCommand.class, SpecsCommand.class, SpecCommand.class, BackendsCommand.class,
        PathsCommand.class,
        ExperimentsCommand.class,
        RunCommand.class, RunsCommand.class, ReportCommand.class, TrainCommand.class, BenchCommand.class,
        SweepCommand.class, NightlyCommand.class,
        DataCommand.class,
        ExportCommand.class, PredictCommand.class, GradCommand.class,
        picocli.CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 an experiment or check failed, 2 bad input, 3 backend unavailable,"
        + " 4 I/O error, 5 a nightly metric regressed.", "Run 'resbench COMMAND --help' for a command's options."})
public final class ResbenchCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /**
   * {@code --verbose} on any command: the engines' own warnings are shown (sets {@link EngineLog#PROPERTY} to
   * {@code warning}, as {@code RESBENCH_ENGINE_LOG=warning} does); by default engines log errors only.
   */
  @picocli.CommandLine.Option(names = "--verbose", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Show the engines' own warnings (ONNX Runtime's log); by default they print errors only. Same as"
          + " RESBENCH_ENGINE_LOG=warning (or info, verbose).")
  void setVerbose(boolean verbose) {
    if (verbose) {
      System.setProperty(EngineLog.PROPERTY, EngineLog.WARNING.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
