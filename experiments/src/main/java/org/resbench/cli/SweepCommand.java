package org.resbench.cli;

import picocli.CommandLine.Command;

/** {@code resbench sweep}: plan, run, merge and submit sweeps. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = "Sweeps: an experiment over a grid of configuration values (a YAML file, see the README), as cells"
        + " with stable ids that run in deterministic shards, resume after a crash, merge into one run set, and go"
        + " to a Slurm cluster as an array job with a dependent merge job.",
    subcommands = {SweepPlanCommand.class, SweepRunCommand.class, SweepMergeCommand.class,
        SweepSubmitCommand.class})
final class SweepCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
