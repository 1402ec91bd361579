package org.resbench.harness.train;

/**
 * Receives the training loop's metrics as they happen (experiments record them; progress bars show them).
 * Called on the training thread; implementations must return quickly.
 */
public interface TrainingListener {

  /** After each step. */
  default void onStep(StepMetrics m) {}

  /** After each evaluation. */
  default void onEvaluation(EvalMetrics m) {}

  /** Once, when the run ends for any reason. */
  default void onFinish(TrainingOutcome outcome) {}

  /**
   * One training step: the rate used, the loss before the update, the batch's training error, the wall time of
   * the backend's step, and how many blocks ran (gate not 0; all of them without stochastic depth).
   */
  record StepMetrics(int step, int totalSteps, double learningRate, double loss, double trainErrorPercent,
      long nanos, int activeBlocks) {}

  /** One evaluation over a whole data set with inference gates and BN in inference mode. */
  record EvalMetrics(int step, double errorPercent, double meanLoss, int examples) {}
}
