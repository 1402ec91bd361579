package org.resbench.harness.train;

import org.resbench.harness.data.Augmentation;

/**
 * Everything the training loop needs besides the session and the data. Immutable.
 *
 * @param steps optimisation steps (see {@link #stepsForEpochs})
 * @param batchSize examples per step
 * @param schedule the learning rate per step
 * @param evalEvery evaluate every this many steps (and after the last); 0 = only after the last
 * @param evalBatchSize batch size for evaluation passes
 * @param divergenceFactor the run has diverged when the loss exceeds this multiple of the first step's loss
 * @param seed the seed of the data order, augmentation and stochastic-depth gate streams
 * @param augmentation applied to every training example
 * @param checkpointEvery offer a checkpoint every this many steps (and after the last); 0 = only after the last
 */
public record TrainingConfig(int steps, int batchSize, LrSchedule schedule, int evalEvery, int evalBatchSize,
    double divergenceFactor, long seed, Augmentation augmentation, int checkpointEvery) {

  public TrainingConfig {
    if (steps < 1) {
      throw new IllegalArgumentException("steps=" + steps + "; allowed: 1 or more");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize=" + batchSize + "; allowed: 1 or more");
    }
    if (evalEvery < 0) {
      throw new IllegalArgumentException("evalEvery=" + evalEvery + "; allowed: 0 (only at the end) or more");
    }
    if (evalBatchSize < 1) {
      throw new IllegalArgumentException("evalBatchSize=" + evalBatchSize + "; allowed: 1 or more");
    }
    if (!(divergenceFactor > 1)) {
      throw new IllegalArgumentException("divergenceFactor=" + divergenceFactor + "; allowed: > 1");
    }
    if (checkpointEvery < 0) {
      throw new IllegalArgumentException("checkpointEvery=" + checkpointEvery + "; allowed: 0 (only at the end) or"
          + " more");
    }
    if (schedule == null || augmentation == null) {
      throw new IllegalArgumentException("schedule and augmentation are required");
    }
  }

  /** The steps that {@code epochs} passes over {@code datasetSize} examples take (incomplete batches dropped). */
  public static int stepsForEpochs(int epochs, int datasetSize, int batchSize) {
    if (epochs < 1 || batchSize > datasetSize) {
      throw new IllegalArgumentException("epochs=" + epochs + " over " + datasetSize + " examples at batch " + batchSize
          + "; allowed: epochs >= 1 and a batch no larger than the data set");
    }
    return epochs * (datasetSize / batchSize);
  }

  public static Builder builder(int steps, int batchSize) {
    return new Builder(steps, batchSize);
  }

  /**
   * Builder: steps and batch size required; He et al.'s scaled schedule, evaluation at the end, factor 20,
   * checkpoints only at the end.
   */
  public static final class Builder {
    private final int steps;
    private final int batchSize;
    private LrSchedule schedule;
    private int evalEvery = 0;
    private int evalBatchSize = 256;
    private double divergenceFactor = 20;
    private long seed = 0;
    private Augmentation augmentation = Augmentation.NONE;
    private int checkpointEvery = 0;

    private Builder(int steps, int batchSize) {
      this.steps = steps;
      this.batchSize = batchSize;
    }

    public Builder optSchedule(LrSchedule s) {
      schedule = s;
      return this;
    }

    public Builder optEvalEvery(int n) {
      evalEvery = n;
      return this;
    }

    public Builder optEvalBatchSize(int n) {
      evalBatchSize = n;
      return this;
    }

    public Builder optDivergenceFactor(double f) {
      divergenceFactor = f;
      return this;
    }

    public Builder optSeed(long s) {
      seed = s;
      return this;
    }

    public Builder optAugmentation(Augmentation a) {
      augmentation = a;
      return this;
    }

    public Builder optCheckpointEvery(int n) {
      checkpointEvery = n;
      return this;
    }

    public TrainingConfig build() {
      return new TrainingConfig(steps, batchSize, schedule != null ? schedule : LrSchedule.heCifarScaled(steps),
          evalEvery, evalBatchSize, divergenceFactor, seed, augmentation, checkpointEvery);
    }
  }
}
