package org.resbench.experiments.training;

import java.util.Arrays;
import java.util.List;
import org.resbench.results.stats.Samples;
import org.resbench.results.training.TrainingHistory;

/**
 * One net trained on one backend with one seed (a cell of a training experiment), as recorded: the per-step
 * history, the evaluations, the outcome, the final test error and the weights hash. Immutable by convention.
 *
 * @param cell the cell's id, unique within its run (also its checkpoint folder's name)
 * @param group what the cell stands for in the experiment's comparison (e.g. {@code plain-20}), for grouping
 * @param spec the spec's canonical name
 * @param backend the backend's name
 * @param seed the seed of weights, data order, augmentation and gates
 * @param batch examples per step
 * @param totalSteps steps the run was to take
 * @param status {@code completed}, {@code diverged}, {@code failed} (the backend failed) or {@code running}
 *     (saved while it ran, or interrupted)
 * @param reason why it diverged or failed, else null
 * @param history every step and evaluation
 * @param testErrorPercent error on the test split at the end (BN in inference mode, inference gates), or null
 * @param testLoss mean cross-entropy on the test split, or null
 * @param weightsHash SHA-256 of the final float32 parameters and statistics in spec order (equal hashes: equal
 *     bits), or null
 * @param checkpoint the last checkpoint, relative to the run's folder, or null
 * @param resumedAt the steps at which the run was resumed after an interruption
 */
public record TrainedRun(String cell, String group, String spec, String backend, long seed, int batch, int totalSteps,
    String status, String reason, TrainingHistory history, Double testErrorPercent, Double testLoss,
    String weightsHash, String checkpoint, List<Integer> resumedAt) {

  public static final String COMPLETED = "completed";
  public static final String DIVERGED = "diverged";
  public static final String FAILED = "failed";
  public static final String RUNNING = "running";

  public TrainedRun {
    resumedAt = resumedAt == null ? List.of() : List.copyOf(resumedAt);
  }

  /** Whether the cell has ended (completed, diverged or failed): a resumed run does not redo it. */
  public boolean ended() {
    return !RUNNING.equals(status);
  }

  /** The median wall time of a step, in seconds (NaN before the first step). */
  public double medianStepSeconds() {
    float[] s = history.stepSeconds();
    if (s.length == 0) {
      return Double.NaN;
    }
    // The first steps include the engine's warm-up (graph building, JIT): leave out the first 5% (at least one).
    int skip = s.length > 1 ? Math.max(1, s.length / 20) : 0;
    return new Samples(Arrays.copyOfRange(toDoubles(s), skip, s.length)).median();
  }

  /** Training images per second at the median step time. */
  public double imagesPerSecond() {
    return batch / medianStepSeconds();
  }

  /** The last evaluation's training error (mean batch error since the one before), or NaN. */
  public double finalTrainErrorPercent() {
    List<TrainingHistory.Evaluation> e = history.evaluations();
    return e.isEmpty() ? Double.NaN : e.get(e.size() - 1).trainErrorPercent();
  }

  /** The mean number of blocks that ran per step. */
  public double meanActiveBlocks() {
    short[] a = history.activeBlocks();
    double s = 0;
    for (short v : a) {
      s += v;
    }
    return a.length == 0 ? Double.NaN : s / a.length;
  }

  static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
