package org.resbench.results.training;

import org.resbench.harness.backend.TrainingState;
import org.resbench.harness.train.Trainer;
import org.resbench.harness.train.TrainingListener;

/**
 * A training run frozen between two steps: the backend's {@link TrainingState} (parameters, BatchNorm
 * statistics, momentum buffers), where the run stands ({@link Trainer.Position}: the step, which fixes every
 * random stream and the schedule's position, and the divergence scale), and the metrics so far. Loads into any
 * backend; see {@link CheckpointFiles} for the file format. Immutable by convention.
 *
 * @param about what it belongs to, in its JSON form
 * @param state the session's state after {@code about.step()} steps
 * @param history the metrics of those steps
 */
public record Checkpoint(About about, TrainingState state, TrainingHistory history) {

  /** The file format's name, in every checkpoint's {@code checkpoint.json}. */
  public static final String FORMAT = "resbench-checkpoint";
  /** The current version of the format. */
  public static final int VERSION = 1;

  /**
   * The description stored as {@code checkpoint.json}.
   *
   * @param format always {@link #FORMAT}
   * @param version the format's version
   * @param spec the spec's canonical name
   * @param specHash the spec's content hash (checked on loading)
   * @param backend the backend that wrote it
   * @param precision {@code FLOAT32} or {@code FLOAT64}: the dtype of the value and momentum arrays
   * @param seed the training seed (data order, augmentation and gates of step s come from (seed, s))
   * @param step steps completed
   * @param totalSteps steps the run was to take
   * @param firstLoss the first step's loss (the divergence scale)
   * @param lastEvaluation the latest evaluation, or null
   * @param run the run id, or null
   * @param cell the cell of the run, or null
   * @param weightsHash SHA-256 of the float32 parameters and statistics in spec order
   * @param written when it was written (ISO-8601)
   */
  public record About(String format, int version, String spec, String specHash, String backend, String precision,
      long seed, int step, int totalSteps, double firstLoss, TrainingListener.EvalMetrics lastEvaluation, String run,
      String cell, String weightsHash, String written) {}

  public Checkpoint {
    if (about.step() != history.steps()) {
      throw new IllegalArgumentException("checkpoint at step " + about.step() + " with a history of "
          + history.steps() + " steps; allowed: a history of exactly its steps");
    }
  }

  /** Where the run stands: what {@link Trainer#train} continues from. */
  public Trainer.Position position() {
    return new Trainer.Position(about.step(), about.firstLoss(), about.lastEvaluation());
  }
}
