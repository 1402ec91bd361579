package org.resbench.harness.train;

import java.util.List;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.StepResult;
import org.resbench.harness.data.Batch;
import org.resbench.harness.data.BatchSampler;
import org.resbench.harness.data.LabeledDataset;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.spec.ModelSpec;

/**
 * The backend-agnostic training loop: batches from a {@link BatchSampler}, the learning rate from the
 * schedule, stochastic-depth gates of step s drawn from the stream (seed, "gates/s"), one
 * {@link Session#trainStep} per step, evaluation on schedule, checkpoints on schedule, and divergence detection.
 * Everything random is a function of the config's seed and the step, so two backends given the same config see
 * the same batches and gates, and a run resumed at step s (from a {@link Position} and the session's
 * {@link org.resbench.harness.backend.TrainingState}) continues exactly as the uninterrupted run. Stateless; one
 * run per call.
 */
public final class Trainer {
  private Trainer() {}

  /**
   * Where a run stands between two steps; everything besides the session's state that the rest of the run
   * depends on.
   *
   * @param step steps completed (the next step's index)
   * @param firstLoss the first step's loss, the scale of divergence detection (NaN before the first step)
   * @param lastEvaluation the latest evaluation, or null
   */
  public record Position(int step, double firstLoss, TrainingListener.EvalMetrics lastEvaluation) {
    /** Before the first step. */
    public static final Position START = new Position(0, Double.NaN, null);

    public Position {
      if (step < 0) {
        throw new IllegalArgumentException("step=" + step + "; allowed: 0 or more");
      }
    }
  }

  /** Receives the chance to save a checkpoint: the session holds the state after {@code position.step()} steps. */
  @FunctionalInterface
  public interface Checkpointer {
    void save(Session session, Position position);

    /** Saves nothing. */
    Checkpointer NONE = (session, position) -> { };
  }

  /** Trains from the start, without checkpoints. */
  public static TrainingOutcome train(Session session, LabeledDataset train, LabeledDataset eval,
      TrainingConfig config, List<TrainingListener> listeners) {
    return train(session, train, eval, config, listeners, Position.START, Checkpointer.NONE);
  }

  /**
   * Trains {@code session} from {@code start} to {@code config.steps()} and returns how the run ended. A NaN,
   * infinite or exploding loss (above {@link TrainingConfig#divergenceFactor()} times the first loss) ends the
   * run as {@link TrainingOutcome.Status#DIVERGED} with the reason; it is never thrown or hidden. The
   * checkpointer is called every {@link TrainingConfig#checkpointEvery()} steps and after the last step of a
   * completed run (not after a divergence).
   *
   * @param eval evaluation data, or null for none
   * @param start where the session's state stands: {@link Position#START}, or a checkpoint's position
   */
  public static TrainingOutcome train(Session session, LabeledDataset train, LabeledDataset eval,
      TrainingConfig config, List<TrainingListener> listeners, Position start, Checkpointer checkpointer) {
    ModelSpec spec = session.spec();
    if (!train.sampleShape().equals(spec.inputShape()) || train.numClasses() != spec.outputs()) {
      throw new IllegalArgumentException("data set '" + train.name() + "' has examples " + train.sampleShape() + " and "
          + train.numClasses() + " classes but spec '" + spec.name() + "' takes " + spec.inputShape() + " and "
          + spec.outputs() + " outputs; allowed: matching shapes (choose the spec's -in/-out options)");
    }
    if (start.step() > config.steps()) {
      throw new IllegalArgumentException("start step " + start.step() + " is past the run's " + config.steps()
          + " steps; allowed: 0.." + config.steps());
    }
    BatchSampler sampler = new BatchSampler(train, config.batchSize(), config.seed(), config.augmentation(),
        start.step());
    boolean stochastic = spec.blocks().stream().anyMatch(b -> b.survivalProbability() < 1);
    BlockGates ones = BlockGates.ones(spec);
    BlockGates inferenceGates = BlockGates.inference(spec);
    double firstLoss = start.firstLoss();
    TrainingListener.EvalMetrics lastEval = start.lastEvaluation();
    for (int step = start.step(); step < config.steps(); step++) {
      Batch batch = sampler.next();
      BlockGates gates = stochastic ? gates(spec, config.seed(), step) : ones;
      double lr = config.schedule().rate(step);
      long t0 = System.nanoTime();
      StepResult r = session.trainStep(batch.input(), batch.labels(), gates, lr);
      long nanos = System.nanoTime() - t0;
      String diverged = divergence(r.loss(), firstLoss, config.divergenceFactor(), step);
      if (diverged != null) {
        // The update of a diverged step has been applied, but the run reports only completed steps.
        return finish(listeners, new TrainingOutcome(TrainingOutcome.Status.DIVERGED, step, diverged, lastEval));
      }
      if (step == 0) {
        firstLoss = r.loss();
      }
      double err = 100.0 * Evaluator.countWrong(r.logits(), batch.labels()) / batch.size();
      int active = 0;
      for (float g : gates.values()) {
        active += g != 0 ? 1 : 0;
      }
      TrainingListener.StepMetrics m = new TrainingListener.StepMetrics(step, config.steps(), lr, r.loss(), err, nanos,
          active);
      for (TrainingListener l : listeners) {
        l.onStep(m);
      }
      int done = step + 1;
      boolean last = done == config.steps();
      if (eval != null && (last || (config.evalEvery() > 0 && done % config.evalEvery() == 0))) {
        lastEval = Evaluator.evaluate(session, eval, config.evalBatchSize(), inferenceGates, done);
        for (TrainingListener l : listeners) {
          l.onEvaluation(lastEval);
        }
      }
      if (last || (config.checkpointEvery() > 0 && done % config.checkpointEvery() == 0)) {
        checkpointer.save(session, new Position(done, firstLoss, lastEval));
      }
    }
    return finish(listeners, new TrainingOutcome(TrainingOutcome.Status.COMPLETED, config.steps(), null, lastEval));
  }

  /** The stochastic-depth gates of {@code step}: a function of (seed, step) alone. */
  public static BlockGates gates(ModelSpec spec, long seed, int step) {
    return BlockGates.sample(spec, Rngs.stream(seed, "gates/" + step));
  }

  /** Why a loss means divergence, or null if it does not. */
  static String divergence(double loss, double firstLoss, double factor, int step) {
    if (Double.isNaN(loss)) {
      return "loss became NaN at step " + step;
    }
    if (Double.isInfinite(loss)) {
      return "loss became infinite at step " + step;
    }
    if (!Double.isNaN(firstLoss) && loss > factor * firstLoss) {
      return String.format(java.util.Locale.ROOT, "loss exploded at step %d: %.4g > %.3g x the first loss %.4g",
          step, loss, factor, firstLoss);
    }
    return null;
  }

  private static TrainingOutcome finish(List<TrainingListener> listeners, TrainingOutcome outcome) {
    for (TrainingListener l : listeners) {
      l.onFinish(outcome);
    }
    return outcome;
  }
}
