package org.resbench.results.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a training run recorded step by step: the loss, learning rate, batch training error, the backend's
 * wall time and the number of active blocks of every step, and every evaluation. Immutable by convention (the
 * arrays are not copied); built with {@link Builder}.
 *
 * @param loss mean cross-entropy of each step's batch, before its update
 * @param learningRate the rate each step used
 * @param trainError each step's batch error, percent
 * @param stepSeconds wall time of each step's backend call
 * @param activeBlocks blocks that ran in each step (stochastic depth drops some)
 * @param evaluations every evaluation on the validation split, in step order
 */
public record TrainingHistory(float[] loss, float[] learningRate, float[] trainError, float[] stepSeconds,
    short[] activeBlocks, List<Evaluation> evaluations) {

  /**
   * One evaluation.
   *
   * @param step steps done when it was taken
   * @param trainErrorPercent mean batch training error over the steps since the previous evaluation
   * @param errorPercent error on the validation split (BN in inference mode, inference gates)
   * @param loss mean cross-entropy on the validation split
   */
  public record Evaluation(int step, double trainErrorPercent, double errorPercent, double loss) {}

  public TrainingHistory {
    int n = loss.length;
    if (learningRate.length != n || trainError.length != n || stepSeconds.length != n || activeBlocks.length != n) {
      throw new IllegalArgumentException("training history: per-step arrays of lengths " + n + ", "
          + learningRate.length + ", " + trainError.length + ", " + stepSeconds.length + ", " + activeBlocks.length
          + "; allowed: equal lengths");
    }
    evaluations = List.copyOf(evaluations);
  }

  /** Nothing recorded. */
  public static TrainingHistory empty() {
    return new TrainingHistory(new float[0], new float[0], new float[0], new float[0], new short[0], List.of());
  }

  /** Steps recorded. */
  public int steps() {
    return loss.length;
  }

  /** The first {@code steps} steps and the evaluations taken by then (to go back to a checkpoint). */
  public TrainingHistory truncate(int steps) {
    if (steps > loss.length) {
      throw new IllegalArgumentException("history of " + loss.length + " steps cut at " + steps + "; allowed: 0.."
          + loss.length);
    }
    return new TrainingHistory(Arrays.copyOf(loss, steps), Arrays.copyOf(learningRate, steps),
        Arrays.copyOf(trainError, steps), Arrays.copyOf(stepSeconds, steps), Arrays.copyOf(activeBlocks, steps),
        evaluations.stream().filter(e -> e.step() <= steps).toList());
  }

  /** Appends steps and evaluations to a history. Not thread-safe. */
  public static final class Builder {
    private float[] loss;
    private float[] lr;
    private float[] err;
    private float[] secs;
    private short[] active;
    private int n;
    private final List<Evaluation> evals;
    private double errSinceEval;
    private int stepsSinceEval;

    /** Continues {@code start}. */
    public Builder(TrainingHistory start) {
      n = start.steps();
      int cap = Math.max(16, n * 2);
      loss = Arrays.copyOf(start.loss(), cap);
      lr = Arrays.copyOf(start.learningRate(), cap);
      err = Arrays.copyOf(start.trainError(), cap);
      secs = Arrays.copyOf(start.stepSeconds(), cap);
      active = Arrays.copyOf(start.activeBlocks(), cap);
      evals = new ArrayList<>(start.evaluations());
      int lastEval = evals.isEmpty() ? 0 : evals.get(evals.size() - 1).step();
      for (int i = lastEval; i < n; i++) {
        errSinceEval += err[i];
        stepsSinceEval++;
      }
    }

    /** One more step. */
    public void step(double stepLoss, double rate, double trainErrorPercent, double seconds, int activeBlocks) {
      if (n == loss.length) {
        int cap = n * 2;
        loss = Arrays.copyOf(loss, cap);
        lr = Arrays.copyOf(lr, cap);
        err = Arrays.copyOf(err, cap);
        secs = Arrays.copyOf(secs, cap);
        active = Arrays.copyOf(active, cap);
      }
      loss[n] = (float) stepLoss;
      lr[n] = (float) rate;
      err[n] = (float) trainErrorPercent;
      secs[n] = (float) seconds;
      active[n] = (short) activeBlocks;
      n++;
      errSinceEval += trainErrorPercent;
      stepsSinceEval++;
    }

    /** An evaluation after the steps so far; its training error is the mean over the steps since the last one. */
    public void evaluation(int step, double errorPercent, double evalLoss) {
      evals.add(new Evaluation(step, stepsSinceEval == 0 ? Double.NaN : errSinceEval / stepsSinceEval, errorPercent,
          evalLoss));
      errSinceEval = 0;
      stepsSinceEval = 0;
    }

    public TrainingHistory build() {
      return new TrainingHistory(Arrays.copyOf(loss, n), Arrays.copyOf(lr, n), Arrays.copyOf(err, n),
          Arrays.copyOf(secs, n), Arrays.copyOf(active, n), evals);
    }
  }
}
