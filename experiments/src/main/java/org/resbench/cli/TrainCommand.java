package org.resbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.resbench.experiments.Progress;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.data.DataOptions;
import org.resbench.harness.data.DataSplits;
import org.resbench.harness.data.Datasets;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.spec.MemoryEstimate;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.train.Evaluator;
import org.resbench.harness.train.LrSchedule;
import org.resbench.harness.train.Trainer;
import org.resbench.harness.train.TrainingConfig;
import org.resbench.harness.train.TrainingListener;
import org.resbench.harness.train.TrainingOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Trains one spec on one backend with the harness's training loop and reports the test error. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train one spec on one backend with the harness's training loop (identical batches, augmentation "
        + "and stochastic-depth gates on every backend for a given seed), evaluating on the validation split, then "
        + "report the test error. A spec without -in/-out takes the data set's shape. Exit 1 if the loss diverged "
        + "(NaN or exploding); nothing is recorded in the results folder.")
final class TrainCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Parameters(index = "0", paramLabel = "SPEC", description = "e.g. resnet-20, resnet-110-sd, plain-20.")
  String specName;

  @Option(names = "--backend", required = true, paramLabel = "NAME", description = "A backend that can train.")
  String backendName;

  @Option(names = "--data", defaultValue = "fashion-mnist", paramLabel = "NAME",
      description = "fashion-mnist (default), mnist, cifar10 or synthetic.")
  String data;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where to look for the data set first.")
  Path dataDir;

  @Option(names = "--steps", paramLabel = "N", description = "Optimisation steps (default: 400 unless --epochs).")
  Integer steps;

  @Option(names = "--epochs", paramLabel = "E", description = "Passes over the training split instead of --steps.")
  Integer epochs;

  @Option(names = "--batch", defaultValue = "128", paramLabel = "N", description = "Batch size (default: 128).")
  int batch;

  @Option(names = "--lr", defaultValue = "0.1", paramLabel = "RATE", description = "Base learning rate (default 0.1).")
  double lr;

  @Option(names = "--schedule", defaultValue = "cosine", paramLabel = "KIND",
      description = "cosine (to 0; default), step (He et al.: /10 at 50%% and 75%% of the steps), or constant.")
  String schedule;

  @Option(names = "--warmup-steps", defaultValue = "0", paramLabel = "N",
      description = "Steps at --warmup-lr first (He et al.'s ResNet-110: ~400 at 0.01).")
  int warmupSteps;

  @Option(names = "--warmup-lr", defaultValue = "0.01", paramLabel = "RATE", description = "Warm-up rate.")
  double warmupLr;

  @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default 0.9).")
  double momentum;

  @Option(names = "--weight-decay", defaultValue = "1e-4", description = "Weight decay (default 1e-4).")
  double weightDecay;

  @Option(names = "--nesterov", description = "Nesterov momentum.")
  boolean nesterov;

  @Option(names = "--eval-every", defaultValue = "100", paramLabel = "N",
      description = "Evaluate on the validation split every N steps (default 100; 0: only at the end).")
  int evalEvery;

  @Option(names = "--no-augment", description = "Switch off pad-and-crop (and flip) augmentation.")
  boolean noAugment;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of weights, data order, augmentation and gates.")
  long seed;

  @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0: engine default).")
  int threads;

  @Override
  public Integer call() {
    PrintWriter out = cmd.commandLine().getOut();
    PrintWriter err = cmd.commandLine().getErr();
    validateOptions();
    Backends all = Backends.discover();
    Backend backend = all.get(backendName);
    BackendChoice.require(all, backend, "--backend", Capability.TRAINING);
    // The spec's own checks (name, size) before any data is read; its shape is fitted to the data below.
    SpecNames.build(specName);
    DataSplits d = Datasets.loadOrSynthetic(data, DataOptions.defaults().withDataDir(dataDir).withAugment(!noAugment),
        notice -> err.println(notice));
    ModelSpec spec = fitToData(specName, d, err);
    if (batch > d.train().size()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "--batch %,d is larger than the training split"
          + " of %s (%,d examples); allowed: 1 to %,d", batch, d.dataset(), d.train().size(), d.train().size()));
    }
    int total = steps != null ? steps : epochs != null
        ? TrainingConfig.stepsForEpochs(epochs, d.train().size(), batch) : 400;
    if (warmupSteps >= total) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "--warmup-steps %,d is not shorter than the run"
          + " (%,d steps); allowed: 0 to %,d", warmupSteps, total, total - 1));
    }
    LrSchedule base = switch (schedule) {
      case "cosine" -> new LrSchedule.Cosine(lr, 0, total);
      case "step" -> new LrSchedule.StepDecay(lr, new int[] {total / 2, (int) (total * 3L / 4)}, 0.1);
      default -> new LrSchedule.Constant(lr);
    };
    LrSchedule sched = warmupSteps > 0 ? LrSchedule.withWarmup(warmupLr, warmupSteps, base) : base;
    MemoryEstimate.of(spec, batch, MemoryEstimate.Workload.TRAINING, backend.computesOnHeap(), backend.name())
        .plus(MemoryEstimate.of(spec, EVAL_BATCH, MemoryEstimate.Workload.INFERENCE, backend.computesOnHeap(),
            backend.name()))
        .require();
    TrainingConfig config = TrainingConfig.builder(total, batch).optSchedule(sched).optEvalEvery(evalEvery)
        .optSeed(seed).optAugmentation(d.augmentation()).build();
    SessionOptions options = SessionOptions.builder().optThreads(threads)
        .optSgd(new SgdConfig(momentum, weightDecay, nesterov)).build();
    out.printf(Locale.ROOT, "train %s on %s: %s (%,d train, %,d test), %d steps of %d, %s%n", spec.name(),
        backend.name(), d.dataset() + (d.synthetic() ? " [SYNTHETIC]" : ""), d.train().size(), d.test().size(), total,
        batch, sched);
    long t0 = System.nanoTime();
    try (Session s = backend.open(spec, Initializer.initialize(spec, seed), options)) {
      Progress bar = ConsoleProgress.forTerminal(err).tasks().start("train", total);
      TrainingListener progress = new TrainingListener() {
        @Override
        public void onStep(StepMetrics m) {
          bar.step(String.format(Locale.ROOT, "loss %.4f lr %.4f", m.loss(), m.learningRate()));
        }

        @Override
        public void onEvaluation(EvalMetrics m) {
          err.printf(Locale.ROOT, "step %d: validation error %.2f%%, loss %.4f%n", m.step(), m.errorPercent(),
              m.meanLoss());
        }
      };
      TrainingOutcome o;
      try {
        o = Trainer.train(s, d.train(), d.validation().orElse(d.test()), config, List.of(progress));
      } finally {
        bar.close();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (!o.completed()) {
        out.printf(Locale.ROOT, "DIVERGED after %d steps: %s%n", o.stepsCompleted(), o.reason());
        return ExitCodes.FAILURE;
      }
      TrainingListener.EvalMetrics test = Evaluator.evaluate(s, d.test(), 256, BlockGates.inference(spec), total);
      out.printf(Locale.ROOT, "%s on %s: test error %.2f%% (chance %.0f%%), test loss %.4f after %d steps in %.0f s%n",
          spec.name(), backend.name(), test.errorPercent(), 100.0 * (d.test().numClasses() - 1) / d.test().numClasses(),
          test.meanLoss(), total, seconds);
      return ExitCodes.OK;
    }
  }

  /** Evaluation passes run at this batch size (the training loop's default). */
  static final int EVAL_BATCH = 256;

  /** Checks the options that need no data or engine, so a mistake fails before anything is loaded. */
  void validateOptions() {
    if (steps != null && epochs != null) {
      throw new IllegalArgumentException("--steps " + steps + " and --epochs " + epochs + " exclude each other;"
          + " allowed: one of them (--steps N, or --epochs E for E passes over the training split)");
    }
    requireAtLeast("--steps", steps, 1);
    requireAtLeast("--epochs", epochs, 1);
    requireAtLeast("--batch", batch, 1);
    requireAtLeast("--warmup-steps", warmupSteps, 0);
    requireAtLeast("--eval-every", evalEvery, 0);
    requireAtLeast("--threads", threads, 0);
    if (!List.of("cosine", "step", "constant").contains(schedule)) {
      throw new IllegalArgumentException("--schedule " + schedule + ": unknown schedule; allowed: cosine, step,"
          + " constant");
    }
    requireRate("--lr", lr);
    requireRate("--warmup-lr", warmupLr);
    RunOptions.requireDataName("--data", data);
    RunOptions.requireUsableData(data, dataDir);
  }

  private static void requireRate(String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(option + " " + value + "; allowed: a finite rate > 0");
    }
  }

  private static void requireAtLeast(String option, Integer value, int min) {
    if (value != null && value < min) {
      throw new IllegalArgumentException(option + " " + value + "; allowed: " + min + " or more");
    }
  }

  /** The spec as named, or, when the name gives no input shape or outputs, adapted to the data set's. */
  static ModelSpec fitToData(String name, DataSplits d, PrintWriter err) {
    ModelSpec spec = SpecNames.build(name);
    boolean explicit = name.contains("-in") || name.contains("-out");
    if (!explicit && (!spec.inputShape().equals(d.train().sampleShape()) || spec.outputs() != d.train().numClasses())) {
      String adapted = spec.name() + "-in" + d.train().sampleShape() + "-out" + d.train().numClasses();
      err.println("note: " + spec.name() + " takes " + spec.inputShape() + "; using " + adapted + " for "
          + d.dataset());
      spec = SpecNames.build(adapted);
    }
    return spec;
  }
}
