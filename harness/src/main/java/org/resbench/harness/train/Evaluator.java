package org.resbench.harness.train;

import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Session;
import org.resbench.harness.data.Batch;
import org.resbench.harness.data.BatchSampler;
import org.resbench.harness.data.LabeledDataset;
import org.resbench.harness.tensor.HostTensor;

/** Classification error and loss over a whole data set, computed from a backend's logits. Stateless. */
public final class Evaluator {
  private Evaluator() {}

  /** Error % and mean cross-entropy over {@code data}, BN in inference mode, with {@code gates}. */
  public static TrainingListener.EvalMetrics evaluate(Session session, LabeledDataset data, int batchSize,
      BlockGates gates, int step) {
    long wrong = 0;
    double lossSum = 0;
    for (int from = 0; from < data.size(); from += batchSize) {
      int to = Math.min(data.size(), from + batchSize);
      Batch b = BatchSampler.slice(data, from, to);
      HostTensor logits = session.forward(b.input(), BnMode.INFERENCE, gates);
      wrong += countWrong(logits, b.labels());
      lossSum += crossEntropySum(logits, b.labels());
    }
    return new TrainingListener.EvalMetrics(step, 100.0 * wrong / data.size(), lossSum / data.size(), data.size());
  }

  /** How many rows of {@code logits} have their arg-max (first on ties) different from the label. */
  public static int countWrong(HostTensor logits, int[] labels) {
    int k = logits.dim(1);
    float[] z = logits.data();
    int wrong = 0;
    for (int i = 0; i < labels.length; i++) {
      int best = 0;
      for (int j = 1; j < k; j++) {
        if (z[i * k + j] > z[i * k + best]) {
          best = j;
        }
      }
      if (best != labels[i]) {
        wrong++;
      }
    }
    return wrong;
  }

  /** The summed softmax cross-entropy of the rows, computed stably in double precision. */
  public static double crossEntropySum(HostTensor logits, int[] labels) {
    int k = logits.dim(1);
    float[] z = logits.data();
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        max = Math.max(max, z[i * k + j]);
      }
      double s = 0;
      for (int j = 0; j < k; j++) {
        s += Math.exp(z[i * k + j] - max);
      }
      sum += Math.log(s) + max - z[i * k + labels[i]];
    }
    return sum;
  }
}
