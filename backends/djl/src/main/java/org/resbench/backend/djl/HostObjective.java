package org.resbench.backend.djl;

import org.resbench.harness.backend.Objective;

/**
 * An objective's value and its gradient with respect to the network output, computed on the host in double
 * precision from the output values: {@code N * K} numbers, cheap next to the network, and more exact than a
 * float32 log-softmax. The engine then back-propagates the cotangent through the network. Stateless.
 */
final class HostObjective {
  private HostObjective() {}

  /** The objective's value and d value / d output ({@code n * k}, row-major). */
  record Value(double value, double[] cotangent) {}

  static Value of(Objective objective, double[] output, int n, int k) {
    if (objective instanceof Objective.CrossEntropy ce) {
      return crossEntropy(ce.labels(), output, n, k);
    }
    float[] c = ((Objective.OutputCotangent) objective).cotangent().data();
    double[] cot = new double[c.length];
    double value = 0;
    for (int i = 0; i < c.length; i++) {
      cot[i] = c[i];
      value += cot[i] * output[i];
    }
    return new Value(value, cot);
  }

  /** Mean softmax cross-entropy; its gradient is {@code (softmax - onehot) / n}. */
  static Value crossEntropy(int[] labels, double[] logits, int n, int k) {
    double[] cot = new double[n * k];
    double total = 0;
    for (int i = 0; i < n; i++) {
      int o = i * k;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        max = Math.max(max, logits[o + j]);
      }
      double sum = 0;
      for (int j = 0; j < k; j++) {
        sum += Math.exp(logits[o + j] - max);
      }
      double logSum = max + Math.log(sum);
      total += logSum - logits[o + labels[i]];
      for (int j = 0; j < k; j++) {
        cot[o + j] = Math.exp(logits[o + j] - logSum) / n;
      }
      cot[o + labels[i]] -= 1.0 / n;
    }
    return new Value(total / n, cot);
  }

  static double[] toDouble(float[] f) {
    return PtNet.toDouble(f);
  }
}
