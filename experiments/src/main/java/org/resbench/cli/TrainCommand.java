package org.resbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentCatalog;
import org.resbench.experiments.ExperimentRunner;
import org.resbench.results.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command-line front end of the {@code train} experiment. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train one net on one or more backends and seeds with the harness's training loop (identical "
        + "initial weights, batches, augmentation and stochastic-depth gates on every backend for a seed), with "
        + "validation error as it goes, checkpoints, and the test error at the end. Writes a run record (the "
        + "'train' experiment; 'resbench report' draws its curves). A spec without -in/-out takes the data set's "
        + "shape. Options not given come from the 'train' experiment's smoke profile (--profile paper: He et "
        + "al.'s CIFAR-10 schedule).",
        "Interrupted runs (killed, crashed) are continued with --resume RUN: they end with the same weights as an "
            + "uninterrupted run. --init continues from a checkpoint of another run, on any backend.",
        "Exit 0 when every run completed, 1 when one diverged (NaN or exploding loss) or failed, 2 for bad input, "
            + "3 when a backend is unavailable."})
final class TrainCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC",
      description = "e.g. resnet-20, resnet-110-sd, plain-20 (not with --resume).")
  String specName;

  @Option(names = "--backend", paramLabel = "NAME", description = "One backend that can train (or --backends a,b).")
  String backendName;

  @Option(names = "--profile", defaultValue = "smoke", paramLabel = "NAME",
      description = "Defaults for what is not given: smoke (200 steps of 64, cosine) or paper (64k steps of 128, "
          + "He et al.'s step schedule).")
  String profile;

  @Option(names = "--steps", paramLabel = "N", description = "Optimisation steps (not with --epochs).")
  Integer steps;

  @Option(names = "--epochs", paramLabel = "E", description = "Passes over the training split (not with --steps).")
  Integer epochs;

  @Option(names = "--batch", paramLabel = "N", description = "Batch size.")
  Integer batch;

  @Option(names = "--lr", paramLabel = "RATE", description = "Base learning rate.")
  Double lr;

  @Option(names = "--schedule", paramLabel = "KIND",
      description = "cosine (to 0), step (divide by 10 at 50% and 75% of the steps, as He et al.), or constant.")
  String schedule;

  @Option(names = "--warmup-steps", paramLabel = "N",
      description = "Steps at --warmup-lr first (He et al.'s ResNet-110: about 400 at 0.01).")
  Integer warmupSteps;

  @Option(names = "--warmup-lr", paramLabel = "RATE", description = "The warm-up rate.")
  Double warmupLr;

  @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum.")
  Double momentum;

  @Option(names = "--weight-decay", paramLabel = "WD", description = "Weight decay.")
  Double weightDecay;

  @Option(names = "--nesterov", description = "Nesterov momentum.")
  Boolean nesterov;

  @Option(names = "--eval-every", paramLabel = "N",
      description = "Evaluate on the validation split every N steps (0: only at the end).")
  Integer evalEvery;

  @Option(names = "--checkpoint-every", paramLabel = "N",
      description = "Write a checkpoint every N steps (0: four per run); always one at the end.")
  Integer checkpointEvery;

  @Option(names = "--no-augment", description = "Switch off pad-and-crop (and flip) augmentation.")
  boolean noAugment;

  @Option(names = {"--seeds", "--seed"}, split = ",", paramLabel = "S",
      description = "Seeds of weights, data order, augmentation and gates; one run per seed and backend.")
  List<Long> seeds;

  @Option(names = "--init", paramLabel = "WEIGHTS",
      description = "Continue from a checkpoint instead of fresh weights: run:ID, run:ID/CELL or a step-N.npz file.")
  String init;

  @Option(names = "--resume", paramLabel = "RUN",
      description = "Continue the interrupted (UNFINISHED) train run RUN from its checkpoints.")
  String resume;

  @Option(names = "--report", paramLabel = "FILE.html", description = "Also write an HTML report of the run.")
  Path report;

  @Mixin
  RunOptions run;

  @Override
  public Integer call() {
    PrintWriter out = cmd.commandLine().getOut();
    PrintWriter err = cmd.commandLine().getErr();
    if (steps != null && epochs != null) {
      throw new IllegalArgumentException("--steps " + steps + " and --epochs " + epochs + " together; allowed: one"
          + " of them");
    }
    if (backendName != null) {
      if (run.backends != null && !run.backends.isEmpty()) {
        throw new IllegalArgumentException("--backend and --backends together; allowed: one of them");
      }
      run.backends = List.of(backendName);
    }
    List<String> sets = sets();
    Experiment<?> train = ExperimentCatalog.get("train");
    RunRecord r;
    if (resume != null) {
      if (specName != null) {
        throw new IllegalArgumentException("SPEC '" + specName + "' with --resume; allowed: --resume RUN alone (the"
            + " run's stored spec and settings are used)");
      }
      boolean customised = !sets.isEmpty() || cmd.commandLine().getParseResult().hasMatchedOption("--profile");
      r = RunCommand.resumeOne(train, resume, customised ? profile : null, null, sets, run, err);
    } else {
      if (specName == null) {
        throw new IllegalArgumentException("no SPEC; allowed: a spec name (e.g. resnet-20), or --resume RUN");
      }
      if (run.backends == null || run.backends.isEmpty()) {
        throw new IllegalArgumentException("no backend; allowed: --backend NAME or --backends a,b (backends that"
            + " can train: see 'resbench backends')");
      }
      r = RunCommand.runOne(train, profile, null, sets, run, err);
    }
    RunCommand.printOutcome(out, r, run.results.store().root());
    if (report != null) {
      out.println("report: " + RunCommand.writeReport(List.of(r), report));
    }
    return ExperimentRunner.failed(r.status()) ? ExitCodes.FAILURE : ExitCodes.OK;
  }

  /** The options given, as {@code --set} overrides of the train experiment's configuration. */
  private List<String> sets() {
    List<String> s = new ArrayList<>();
    if (specName != null) {
      s.add("spec=" + specName);
    }
    if (run.data != null) {
      s.add("data=[" + run.data + "]");
    }
    if (steps != null) {
      s.add("training.steps=" + steps);
      s.add("training.epochs=0");
    }
    if (epochs != null) {
      s.add("training.epochs=" + epochs);
      s.add("training.steps=0");
    }
    add(s, "training.batch", batch);
    add(s, "training.lr", lr);
    add(s, "training.schedule", schedule);
    add(s, "training.warmupSteps", warmupSteps);
    add(s, "training.warmupLr", warmupLr);
    add(s, "training.momentum", momentum);
    add(s, "training.weightDecay", weightDecay);
    add(s, "training.nesterov", nesterov);
    add(s, "training.evalEvery", evalEvery);
    add(s, "training.checkpointEvery", checkpointEvery);
    if (noAugment) {
      s.add("training.augment=false");
    }
    if (seeds != null && !seeds.isEmpty()) {
      s.add("seeds=" + seeds);
    }
    if (init != null) {
      s.add("init='" + init.replace("'", "''") + "'");
    }
    return s;
  }

  private static void add(List<String> sets, String key, Object value) {
    if (value != null) {
      sets.add(key + "=" + (value instanceof Double d ? String.format(Locale.ROOT, "%s", d) : value));
    }
  }
}
