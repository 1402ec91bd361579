package org.resbench.harness.train;

/**
 * How a training run ended. Immutable.
 *
 * @param status completed, or diverged (the loss became NaN/infinite or exploded)
 * @param stepsCompleted steps whose update was applied
 * @param reason for a diverged run: what happened and at which step; null otherwise
 * @param finalEvaluation the last evaluation, or null when there was no evaluation data or the run diverged
 *     before one
 */
public record TrainingOutcome(Status status, int stepsCompleted, String reason,
    TrainingListener.EvalMetrics finalEvaluation) {

  /** Whether the run took all its steps or stopped on a diverging loss. */
  public enum Status {
    COMPLETED, DIVERGED
  }

  public boolean completed() {
    return status == Status.COMPLETED;
  }
}
