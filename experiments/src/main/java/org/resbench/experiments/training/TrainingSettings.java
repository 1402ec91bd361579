package org.resbench.experiments.training;

import java.util.List;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.data.Augmentation;
import org.resbench.harness.train.LrSchedule;
import org.resbench.harness.train.TrainingConfig;

/**
 * How every net of a training experiment is trained: the {@code training} section of its configuration
 * ({@code --set training.lr=0.05}). Immutable; validated at construction, each message naming the field.
 *
 * @param steps optimisation steps; 0 to use {@code epochs}
 * @param epochs passes over the training split, when {@code steps} is 0
 * @param batch examples per step
 * @param lr base learning rate
 * @param schedule {@code step} (divide by {@code decay} at each milestone), {@code cosine} (to 0) or
 *     {@code constant}
 * @param milestones for {@code step}: fractions of the run (He et al.: 32k and 48k of 64k = [0.5, 0.75])
 * @param decay for {@code step}: the factor at each milestone
 * @param warmupSteps steps at {@code warmupLr} first (He et al.'s ResNet-110: about 400 at 0.01); 0 for none
 * @param warmupLr the warm-up rate
 * @param momentum SGD momentum
 * @param weightDecay L2 weight decay
 * @param nesterov Nesterov momentum
 * @param evalEvery evaluate on the validation split every this many steps (and at the end); 0 = at the end
 * @param checkpointEvery write a checkpoint every this many steps (and at the end); 0 = a few per run
 * @param augment the data set's training augmentation (pad-and-crop; flip for CIFAR-10) or none
 */
public record TrainingSettings(int steps, int epochs, int batch, double lr, String schedule, List<Double> milestones,
    double decay, int warmupSteps, double warmupLr, double momentum, double weightDecay, boolean nesterov,
    int evalEvery, int checkpointEvery, boolean augment) {

  /** The schedules {@link #schedule} may name. */
  public static final List<String> SCHEDULES = List.of("step", "cosine", "constant");

  public TrainingSettings {
    if (steps < 0 || epochs < 0 || (steps == 0) == (epochs == 0)) {
      throw new IllegalArgumentException("training.steps=" + steps + ", training.epochs=" + epochs + "; allowed:"
          + " exactly one of them above 0 (the other 0)");
    }
    if (batch < 1) {
      throw new IllegalArgumentException("training.batch=" + batch + "; allowed: 1 or more");
    }
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("training.lr=" + lr + "; allowed: a finite value > 0");
    }
    if (!SCHEDULES.contains(schedule)) {
      throw new IllegalArgumentException("training.schedule=" + schedule + "; allowed: " + String.join(", ",
          SCHEDULES));
    }
    milestones = milestones == null ? List.of(0.5, 0.75) : List.copyOf(milestones);
    for (int i = 0; i < milestones.size(); i++) {
      double m = milestones.get(i);
      if (!(m > 0 && m < 1) || (i > 0 && m <= milestones.get(i - 1))) {
        throw new IllegalArgumentException("training.milestones=" + milestones + "; allowed: increasing fractions"
            + " of the run in (0, 1), e.g. [0.5, 0.75]");
      }
    }
    if (!(decay > 0 && decay <= 1)) {
      throw new IllegalArgumentException("training.decay=" + decay + "; allowed: (0, 1], e.g. 0.1");
    }
    if (warmupSteps < 0 || (warmupSteps > 0 && !(warmupLr > 0))) {
      throw new IllegalArgumentException("training.warmupSteps=" + warmupSteps + ", training.warmupLr=" + warmupLr
          + "; allowed: warmupSteps >= 0, and warmupLr > 0 when it is above 0");
    }
    new SgdConfig(momentum, weightDecay, nesterov); // validates, naming the field
    if (evalEvery < 0 || checkpointEvery < 0) {
      throw new IllegalArgumentException("training.evalEvery=" + evalEvery + ", training.checkpointEvery="
          + checkpointEvery + "; allowed: 0 or more");
    }
  }

  /** The steps of the run on {@code trainSize} training examples. */
  public int totalSteps(int trainSize) {
    int total = steps > 0 ? steps : TrainingConfig.stepsForEpochs(epochs, trainSize, batch);
    if (warmupSteps >= total) {
      throw new IllegalArgumentException("training.warmupSteps=" + warmupSteps + " is not shorter than the run's "
          + total + " steps; allowed: fewer warm-up steps than steps");
    }
    return total;
  }

  /** The learning rate of every step of a {@code total}-step run, warm-up first when {@code warmup}. */
  public LrSchedule lrSchedule(int total, boolean warmup) {
    LrSchedule base = switch (schedule) {
      case "step" -> new LrSchedule.StepDecay(lr, milestones.stream().mapToInt(m -> (int) Math.round(m * total))
          .toArray(), decay);
      case "cosine" -> new LrSchedule.Cosine(lr, 0, total);
      default -> new LrSchedule.Constant(lr);
    };
    return warmup && warmupSteps > 0 ? LrSchedule.withWarmup(warmupLr, warmupSteps, base) : base;
  }

  /** The SGD settings. */
  public SgdConfig sgd() {
    return new SgdConfig(momentum, weightDecay, nesterov);
  }

  /**
   * The training loop's configuration for one net: {@code trainSize} examples, the seed of its data order,
   * augmentation and gates, the data set's augmentation (when {@link #augment}), warm-up when {@code warmup}.
   */
  public TrainingConfig loopConfig(int trainSize, long seed, Augmentation dataAugmentation, boolean warmup) {
    int total = totalSteps(trainSize);
    int every = checkpointEvery > 0 ? checkpointEvery : Math.max(1, total / 4);
    return TrainingConfig.builder(total, batch).optSchedule(lrSchedule(total, warmup)).optSeed(seed)
        .optEvalEvery(evalEvery).optCheckpointEvery(every).optAugmentation(augment ? dataAugmentation
            : Augmentation.NONE).build();
  }
}
