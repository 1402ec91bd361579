package org.resbench.harness.train;

import java.util.List;
import java.util.SplittableRandom;
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
 * schedule, stochastic-depth gates drawn from the stream (seed, "gates"), one {@link Session#trainStep} per
 * step, evaluation on schedule, and divergence detection. Everything random comes from the config's seed,
 * so two backends given the same config see the same batches and gates. Stateless; one run per call.
 */
public final class Trainer {
  private Trainer() {}

  /**
   * Trains {@code session} and returns how the run ended. A NaN, infinite or exploding loss (above
   * {@link TrainingConfig#divergenceFactor()} times the first loss) ends the run as
   * {@link TrainingOutcome.Status#DIVERGED} with the reason; it is never thrown or hidden.
   *
   * @param eval evaluation data, or null for none
   */
  public static TrainingOutcome train(Session session, LabeledDataset train, LabeledDataset eval,
      TrainingConfig config, List<TrainingListener> listeners) {
    ModelSpec spec = session.spec();
    if (!train.sampleShape().equals(spec.inputShape()) || train.numClasses() != spec.outputs()) {
      throw new IllegalArgumentException("data set '" + train.name() + "' has examples " + train.sampleShape() + " and "
          + train.numClasses() + " classes but spec '" + spec.name() + "' takes " + spec.inputShape() + " and "
          + spec.outputs() + " outputs; allowed: matching shapes (choose the spec's -in/-out options)");
    }
    BatchSampler sampler = new BatchSampler(train, config.batchSize(), config.seed(), config.augmentation());
    SplittableRandom gateRng = Rngs.stream(config.seed(), "gates");
    boolean stochastic = spec.blocks().stream().anyMatch(b -> b.survivalProbability() < 1);
    BlockGates ones = BlockGates.ones(spec);
    BlockGates inferenceGates = BlockGates.inference(spec);
    double firstLoss = Double.NaN;
    TrainingListener.EvalMetrics lastEval = null;
    for (int step = 0; step < config.steps(); step++) {
      Batch batch = sampler.next();
      BlockGates gates = stochastic ? BlockGates.sample(spec, gateRng) : ones;
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
      TrainingListener.StepMetrics m = new TrainingListener.StepMetrics(step, config.steps(), lr, r.loss(), err, nanos);
      for (TrainingListener l : listeners) {
        l.onStep(m);
      }
      boolean last = step == config.steps() - 1;
      if (eval != null && (last || (config.evalEvery() > 0 && (step + 1) % config.evalEvery() == 0))) {
        lastEval = Evaluator.evaluate(session, eval, config.evalBatchSize(), inferenceGates, step + 1);
        for (TrainingListener l : listeners) {
          l.onEvaluation(lastEval);
        }
      }
    }
    return finish(listeners, new TrainingOutcome(TrainingOutcome.Status.COMPLETED, config.steps(), null, lastEval));
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
